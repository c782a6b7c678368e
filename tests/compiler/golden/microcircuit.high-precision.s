.core 0
    in port3, @2404, 1
    in port0, @0, 196
    tgt port1, @196, 10
    in port2, @206, 10
    vsub @216, @0, @412, 196
    vcopy @608, @216, 196
    send route0, @412, 196
    send route4, @412, 196
    send route11, @608, 196
    send route15, @608, 196
    vset @804, 10, #0
    vset @814, 10, #0
    vlut @824, @834, 10, lut0
    vlut @844, @834, 10, lut1
    vset @854, 10, #0
    vsub @1174, @834, @804, 10
    vcopy @2405, @834, 10
    vcopy @2415, @2405, 10
    vcopy @2425, @2405, 20
    vcopy @2445, @2405, 40
    vcopy @2485, @2405, 80
    mvm @1234, @2405, r0, c100, 160, 40, sh-12, sh+12
    send route24, @834, 10
    send route25, @834, 10
    vsub @1314, @196, @834, 10
    vmul @1314, @206, @1314, 10, sh24
    vmuli @1324, @1314, 10, #26214, sh18
    vmul @1334, @844, @1344, 10, sh24
    send route32, @1344, 10
    send route33, @1344, 10
    vcopy @2565, @1344, 10
    vcopy @2575, @2565, 10
    vcopy @2585, @2565, 20
    vcopy @2605, @2565, 40
    vcopy @2645, @2565, 80
    mvm @1694, @2565, r0, c100, 160, 40, sh-12, sh+12
    send route34, @1694, 40
    send route35, @1694, 40
    vsub @1314, @196, @1744, 10
    vmuli @1754, @1314, 10, #20480, sh9
    vsub @1754, @1754, @1344, 10
    vmul @1754, @206, @1754, 10, sh24
    vcopy @1744, @196, 10
    vaxpy @412, @412, @608, 196, #26214, sh20
    probe probe0, @412, 196
    probe probe5, @824, 10
    probe probe7, @196, 10
    barrier
    recv route22, @874, 150
    mvm @864, @874, r0, c0, 150, 10, sh-10, sh+14
    recv route23, @1024, 150
    mvm.acc @864, @1024, r0, c10, 150, 10, sh-10, sh+14
    vsub @1184, @1174, @864, 10
    mvm @1194, @874, r0, c20, 150, 40, sh-10, sh+14
    mvm.acc @1194, @1024, r0, c60, 150, 40, sh-10, sh+14
    vmuli @1274, @1194, 40, #29789, sh15
    vaxpy @1274, @1274, @1234, 40, #23831, sh18
    send route26, @1274, 40
    send route27, @1274, 40
    recv route28, @1394, 150
    mvm @1354, @1394, r0, c20, 150, 40, sh-10, sh+14
    recv route29, @1544, 150
    mvm.acc @1354, @1544, r0, c60, 150, 40, sh-10, sh+14
    send route30, @1354, 40
    send route31, @1354, 40
    vsub @1734, @1324, @1184, 10
    vaxpy @1734, @1734, @814, 10, #32768, sh15
    mvm @1174, @1394, r0, c0, 150, 10, sh-10, sh+14
    mvm.acc @1174, @1544, r0, c10, 150, 10, sh-10, sh+14
    vaxpy @1734, @1734, @1174, 10, #32768, sh15
    vaxpy @1734, @1734, @1754, 10, #26214, sh18
    vcopy @1344, @1734, 10
    vsub @1764, @1274, @1194, 40
    jz @2404, L107
    vmuli @1804, @874, 150, #17180, sh16
    outer.sr @1804, @1764, r0, c20, 150, 40, sh56
L107:
    jz @2404, L112
    vmuli @1954, @1024, 150, #17180, sh16
    outer.sr @1954, @1764, r0, c60, 150, 40, sh56
L112:
    jz @2404, L117
    vmuli @2104, @874, 150, #17180, sh16
    outer.sr @2104, @1184, r0, c0, 150, 10, sh56
L117:
    jz @2404, L122
    vmuli @2254, @1024, 150, #17180, sh16
    outer.sr @2254, @1184, r0, c10, 150, 10, sh56
L122:
    vaxpy @834, @834, @1344, 10, #26214, sh20
    probe probe4, @834, 10
    probe probe6, @1184, 10
    probe probe8, @1274, 40
    probe probe9, @1274, 40
    barrier
    barrier
    halt

.core 1
    in port3, @1430, 1
    in port0, @0, 196
    vsub @196, @0, @392, 196
    vcopy @588, @196, 196
    mvm @784, @392, r0, c0, 196, 150, sh-10, sh+14
    send route1, @784, 150
    send route5, @392, 196
    mvm @934, @588, r0, c0, 196, 150, sh-10, sh+14
    send route12, @934, 150
    send route16, @588, 196
    barrier
    barrier
    recv route36, @1084, 150
    jz @1430, L21
    vmuli @1234, @392, 196, #17180, sh16
    outer.sr @1234, @1084, r0, c0, 196, 150, sh56
L21:
    vaxpy @392, @392, @588, 196, #26214, sh20
    probe probe0, @392, 196
    barrier
    halt

.core 2
    in port3, @1430, 1
    in port0, @0, 196
    vsub @196, @0, @392, 196
    vcopy @588, @196, 196
    mvm @784, @392, r0, c0, 196, 150, sh-10, sh+14
    send route2, @784, 150
    send route7, @392, 196
    mvm @934, @588, r0, c0, 196, 150, sh-10, sh+14
    send route13, @934, 150
    send route18, @588, 196
    barrier
    barrier
    recv route38, @1084, 150
    jz @1430, L21
    vmuli @1234, @392, 196, #17180, sh16
    outer.sr @1234, @1084, r0, c0, 196, 150, sh56
L21:
    vaxpy @392, @392, @588, 196, #26214, sh20
    probe probe0, @392, 196
    barrier
    halt

.core 3
    in port3, @1430, 1
    in port0, @0, 196
    vsub @196, @0, @392, 196
    vcopy @588, @196, 196
    mvm @784, @392, r0, c0, 196, 150, sh-10, sh+14
    send route3, @784, 150
    send route9, @392, 196
    mvm @934, @588, r0, c0, 196, 150, sh-10, sh+14
    send route14, @934, 150
    send route20, @588, 196
    barrier
    barrier
    recv route40, @1084, 150
    jz @1430, L21
    vmuli @1234, @392, 196, #17180, sh16
    outer.sr @1234, @1084, r0, c0, 196, 150, sh56
L21:
    vaxpy @392, @392, @588, 196, #26214, sh20
    probe probe0, @392, 196
    barrier
    halt

.core 4
    in port3, @3918, 1
    vlut @1592, @1742, 150, lut0
    vlut @1892, @1742, 150, lut1
    vset @2042, 150, #0
    vset @2192, 150, #0
    send route22, @1592, 150
    vmul @2992, @1892, @3142, 150, sh24
    send route28, @2992, 150
    probe probe2, @1592, 150
    barrier
    recv route0, @150, 196
    mvm @0, @150, r0, c0, 196, 150, sh-10, sh+14
    recv route1, @346, 150
    vadd @0, @0, @346, 150
    recv route2, @496, 150
    vadd @0, @0, @496, 150
    recv route3, @646, 150
    vadd @0, @0, @646, 150
    recv route11, @946, 196
    mvm @796, @946, r0, c0, 196, 150, sh-10, sh+14
    recv route12, @1142, 150
    vadd @796, @796, @1142, 150
    recv route13, @1292, 150
    vadd @796, @796, @1292, 150
    recv route14, @1442, 150
    vadd @796, @796, @1442, 150
    vsub @2342, @1742, @0, 150
    vsub @2492, @2342, @2192, 150
    recv route24, @2792, 10
    vcopy @3919, @2792, 10
    vcopy @3929, @3919, 10
    mvm @2642, @3919, r196, c0, 20, 150, sh-12, sh+15
    recv route32, @3482, 10
    vcopy @3939, @3482, 10
    vcopy @3949, @3939, 10
    recv route34, @3642, 40
    mvm @3492, @3642, r216, c0, 40, 150, sh-9, sh+13
    jz @3918, L55
    vmuli @3722, @150, 196, #17180, sh16
    outer.sr @3722, @2492, r0, c0, 196, 150, sh56
L55:
    send route36, @2492, 150
    send route38, @2492, 150
    send route40, @2492, 150
    probe probe3, @2492, 150
    barrier
    recv route26, @2802, 40
    mvm @2342, @2802, r216, c0, 40, 150, sh-9, sh+13
    vsub @2642, @2642, @2342, 150
    vmul @2842, @1892, @2642, 150, sh24
    vsub @3292, @2842, @2492, 150
    vaxpy @3292, @3292, @796, 150, #32768, sh15
    vmul @2342, @2042, @2642, 150, sh24
    vmul @2342, @2342, @3142, 150, sh24
    vadd @3292, @3292, @2342, 150
    recv route30, @3442, 40
    mvm @2342, @3442, r216, c0, 40, 150, sh-9, sh+13
    vmul @2342, @1892, @2342, 150, sh24
    vaxpy @3292, @3292, @2342, 150, #-29789, sh15
    mvm @2342, @3939, r196, c0, 20, 150, sh-12, sh+15
    vaxpy @2342, @2342, @3492, 150, #-23831, sh18
    vmul @2342, @1892, @2342, 150, sh24
    vaxpy @3292, @3292, @2342, 150, #32768, sh15
    vcopy @3142, @3292, 150
    jz @3918, L98
    vmuli @3682, @2802, 40, #17180, sh16
    outer.sr @3682, @2642, r216, c0, 40, 150, sh56
L98:
    vaxpy @1742, @1742, @3142, 150, #26214, sh20
    probe probe1, @1742, 150
    barrier
    halt

.core 5
    in port3, @3918, 1
    vlut @1592, @1742, 150, lut0
    vlut @1892, @1742, 150, lut1
    vset @2042, 150, #0
    vset @2192, 150, #0
    send route23, @1592, 150
    vmul @2992, @1892, @3142, 150, sh24
    send route29, @2992, 150
    probe probe2, @1592, 150
    barrier
    recv route4, @150, 196
    mvm @0, @150, r0, c0, 196, 150, sh-10, sh+14
    recv route15, @946, 196
    mvm @796, @946, r0, c0, 196, 150, sh-10, sh+14
    recv route25, @2792, 10
    vcopy @3919, @2792, 10
    vcopy @3929, @3919, 10
    mvm @2642, @3919, r196, c0, 20, 150, sh-12, sh+15
    recv route33, @3482, 10
    vcopy @3939, @3482, 10
    vcopy @3949, @3939, 10
    recv route35, @3642, 40
    mvm @3492, @3642, r216, c0, 40, 150, sh-9, sh+13
    barrier
    recv route6, @346, 150
    vadd @0, @0, @346, 150
    recv route8, @496, 150
    vadd @0, @0, @496, 150
    recv route10, @646, 150
    vadd @0, @0, @646, 150
    recv route17, @1142, 150
    vadd @796, @796, @1142, 150
    recv route19, @1292, 150
    vadd @796, @796, @1292, 150
    recv route21, @1442, 150
    vadd @796, @796, @1442, 150
    vsub @2342, @1742, @0, 150
    vsub @2492, @2342, @2192, 150
    recv route27, @2802, 40
    mvm @2342, @2802, r216, c0, 40, 150, sh-9, sh+13
    vsub @2642, @2642, @2342, 150
    vmul @2842, @1892, @2642, 150, sh24
    vsub @3292, @2842, @2492, 150
    vaxpy @3292, @3292, @796, 150, #32768, sh15
    vmul @2342, @2042, @2642, 150, sh24
    vmul @2342, @2342, @3142, 150, sh24
    vadd @3292, @3292, @2342, 150
    recv route31, @3442, 40
    mvm @2342, @3442, r216, c0, 40, 150, sh-9, sh+13
    vmul @2342, @1892, @2342, 150, sh24
    vaxpy @3292, @3292, @2342, 150, #-29789, sh15
    mvm @2342, @3939, r196, c0, 20, 150, sh-12, sh+15
    vaxpy @2342, @2342, @3492, 150, #-23831, sh18
    vmul @2342, @1892, @2342, 150, sh24
    vaxpy @3292, @3292, @2342, 150, #32768, sh15
    vcopy @3142, @3292, 150
    jz @3918, L89
    vmuli @3682, @2802, 40, #17180, sh16
    outer.sr @3682, @2642, r216, c0, 40, 150, sh56
L89:
    jz @3918, L94
    vmuli @3722, @150, 196, #17180, sh16
    outer.sr @3722, @2492, r0, c0, 196, 150, sh56
L94:
    send route37, @2492, 150
    send route39, @2492, 150
    send route41, @2492, 150
    vaxpy @1742, @1742, @3142, 150, #26214, sh20
    probe probe1, @1742, 150
    probe probe3, @2492, 150
    barrier
    halt

.core 6
    in port3, @1038, 1
    barrier
    recv route5, @0, 196
    mvm @196, @0, r0, c0, 196, 150, sh-10, sh+14
    send route6, @196, 150
    recv route16, @346, 196
    mvm @542, @346, r0, c0, 196, 150, sh-10, sh+14
    send route17, @542, 150
    barrier
    barrier
    recv route37, @692, 150
    jz @1038, L18
    vmuli @842, @0, 196, #17180, sh16
    outer.sr @842, @692, r0, c0, 196, 150, sh56
L18:
    halt

.core 7
    in port3, @1038, 1
    barrier
    recv route9, @0, 196
    mvm @196, @0, r0, c0, 196, 150, sh-10, sh+14
    send route10, @196, 150
    recv route20, @346, 196
    mvm @542, @346, r0, c0, 196, 150, sh-10, sh+14
    send route21, @542, 150
    barrier
    barrier
    recv route41, @692, 150
    jz @1038, L18
    vmuli @842, @0, 196, #17180, sh16
    outer.sr @842, @692, r0, c0, 196, 150, sh56
L18:
    halt

.core 8
    barrier
    barrier
    barrier
    halt

.core 9
    barrier
    barrier
    barrier
    halt

.core 10
    barrier
    barrier
    barrier
    halt

.core 11
    barrier
    barrier
    barrier
    halt

.core 12
    barrier
    barrier
    barrier
    halt

.core 13
    in port3, @1038, 1
    barrier
    recv route7, @0, 196
    mvm @196, @0, r0, c0, 196, 150, sh-10, sh+14
    send route8, @196, 150
    recv route18, @346, 196
    mvm @542, @346, r0, c0, 196, 150, sh-10, sh+14
    send route19, @542, 150
    barrier
    barrier
    recv route39, @692, 150
    jz @1038, L18
    vmuli @842, @0, 196, #17180, sh16
    outer.sr @842, @692, r0, c0, 196, 150, sh56
L18:
    halt
