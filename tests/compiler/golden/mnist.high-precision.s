.core 0
    in port3, @3534, 1
    in port0, @0, 196
    tgt port1, @196, 10
    in port2, @206, 10
    vsub @216, @0, @412, 196
    vcopy @608, @216, 196
    send route0, @412, 196
    send route4, @412, 196
    send route11, @608, 196
    send route15, @608, 196
    vcopy @804, @814, 10
    vset @824, 10, #0
    vlut @834, @844, 10, lut0
    vlut @854, @844, 10, lut1
    vset @864, 10, #0
    vsub @1384, @844, @804, 10
    vset @1904, 10, #0
    vaxpy @1934, @844, @1914, 10, #32768, sh15
    vaxpy @1944, @804, @824, 10, #32768, sh15
    vset @2974, 10, #0
    vmul @2984, @864, @1914, 10, sh24
    vmul @2984, @2984, @1904, 10, sh24
    vsub @3004, @196, @3014, 10
    vaxpy @3004, @196, @3004, 10, #20480, sh11
    vsub @3004, @3004, @1934, 10
    vmul @3004, @206, @3004, 10, sh24
    vcopy @3014, @196, 10
    vaxpy @412, @412, @608, 196, #26214, sh18
    probe probe0, @412, 196
    probe probe5, @834, 10
    probe probe7, @196, 10
    barrier
    recv route22, @884, 250
    mvm @874, @884, r0, c0, 250, 10, sh-8, sh+12
    recv route23, @1134, 250
    mvm.acc @874, @1134, r0, c10, 250, 10, sh-8, sh+12
    vsub @1394, @1384, @874, 10
    mvmt @1404, @1394, r0, c0, 250, 10, sh-7, sh+11
    send route24, @1404, 250
    mvmt @1654, @1394, r0, c10, 250, 10, sh-7, sh+11
    send route25, @1654, 250
    vmul @1384, @854, @1914, 10, sh24
    vaxpy @1924, @834, @1384, 10, #32768, sh15
    vsub @1384, @1934, @1944, 10
    jz @3534, L66
    vaxpy @814, @814, @1394, 10, #17180, sh34
L66:
    probe probe6, @1394, 10
    barrier
    recv route26, @1964, 250
    mvm @1954, @1964, r0, c0, 250, 10, sh-8, sh+12
    barrier
    recv route27, @2214, 250
    mvm.acc @1954, @2214, r0, c10, 250, 10, sh-8, sh+12
    vsub @2464, @1384, @1954, 10
    mvmt @2474, @2464, r0, c0, 250, 10, sh-11, sh+15
    send route28, @2474, 250
    mvmt @2724, @2464, r0, c10, 250, 10, sh-11, sh+15
    send route29, @2724, 250
    vmul @1384, @854, @2974, 10, sh24
    vaxpy @2994, @1384, @2984, 10, #32768, sh15
    vaxpy @2994, @2994, @3004, 10, #26214, sh18
    vadd @3024, @1944, @1954, 10
    vadd @3024, @3024, @2994, 10
    vsub @1384, @3024, @844, 10
    vcopy @1914, @1384, 10
    jz @3534, L101
    vmuli @3034, @884, 250, #17180, sh16
    outer.sr @3034, @1394, r0, c0, 250, 10, sh54
L101:
    jz @3534, L106
    vmuli @3284, @1134, 250, #17180, sh16
    outer.sr @3284, @1394, r0, c10, 250, 10, sh54
L106:
    vaxpy @844, @844, @1914, 10, #26214, sh18
    probe probe4, @844, 10
    barrier
    halt

.core 1
    in port3, @1730, 1
    in port0, @0, 196
    vsub @196, @0, @392, 196
    vcopy @588, @196, 196
    mvm @784, @392, r0, c0, 196, 250, sh-10, sh+14
    send route1, @784, 250
    send route5, @392, 196
    mvm @1034, @588, r0, c0, 196, 250, sh-10, sh+14
    send route12, @1034, 250
    send route16, @588, 196
    barrier
    barrier
    recv route30, @1284, 250
    jz @1730, L21
    vmuli @1534, @392, 196, #17180, sh16
    outer.sr @1534, @1284, r0, c0, 196, 250, sh54
L21:
    vaxpy @392, @392, @588, 196, #26214, sh18
    probe probe0, @392, 196
    barrier
    barrier
    halt

.core 2
    in port3, @1730, 1
    in port0, @0, 196
    vsub @196, @0, @392, 196
    vcopy @588, @196, 196
    mvm @784, @392, r0, c0, 196, 250, sh-10, sh+14
    send route2, @784, 250
    send route7, @392, 196
    mvm @1034, @588, r0, c0, 196, 250, sh-10, sh+14
    send route13, @1034, 250
    send route18, @588, 196
    barrier
    barrier
    recv route32, @1284, 250
    jz @1730, L21
    vmuli @1534, @392, 196, #17180, sh16
    outer.sr @1534, @1284, r0, c0, 196, 250, sh54
L21:
    vaxpy @392, @392, @588, 196, #26214, sh18
    probe probe0, @392, 196
    barrier
    barrier
    halt

.core 3
    in port3, @1730, 1
    in port0, @0, 196
    vsub @196, @0, @392, 196
    vcopy @588, @196, 196
    mvm @784, @392, r0, c0, 196, 250, sh-10, sh+14
    send route3, @784, 250
    send route9, @392, 196
    mvm @1034, @588, r0, c0, 196, 250, sh-10, sh+14
    send route14, @1034, 250
    send route20, @588, 196
    barrier
    barrier
    recv route34, @1284, 250
    jz @1730, L21
    vmuli @1534, @392, 196, #17180, sh16
    outer.sr @1534, @1284, r0, c0, 196, 250, sh54
L21:
    vaxpy @392, @392, @588, 196, #26214, sh18
    probe probe0, @392, 196
    barrier
    barrier
    halt

.core 4
    in port3, @7838, 1
    vcopy @0, @250, 250
    vlut @2642, @2892, 250, lut0
    vlut @3142, @2892, 250, lut1
    vset @3392, 250, #0
    vset @3642, 250, #0
    send route22, @2642, 250
    vaxpy @5392, @2892, @4892, 250, #32768, sh15
    vset @5892, 250, #0
    vmul @6892, @3392, @4892, 250, sh24
    probe probe2, @2642, 250
    barrier
    recv route0, @500, 196
    mvm.acc @0, @500, r0, c0, 196, 250, sh-10, sh+14
    recv route1, @696, 250
    vadd @0, @0, @696, 250
    recv route2, @946, 250
    vadd @0, @0, @946, 250
    recv route3, @1196, 250
    vadd @0, @0, @1196, 250
    recv route11, @1696, 196
    mvm @1446, @1696, r0, c0, 196, 250, sh-10, sh+14
    recv route12, @1892, 250
    vadd @1446, @1446, @1892, 250
    recv route13, @2142, 250
    vadd @1446, @1446, @2142, 250
    recv route14, @2392, 250
    vadd @1446, @1446, @2392, 250
    vsub @3892, @2892, @0, 250
    vsub @4142, @3892, @3642, 250
    vmul @3892, @3142, @4892, 250, sh24
    vaxpy @5142, @2642, @3892, 250, #32768, sh15
    vaxpy @5642, @0, @1446, 250, #32768, sh15
    vsub @3892, @5392, @5642, 250
    vsub @6142, @3892, @5892, 250
    send route26, @5142, 250
    vadd @7392, @5642, @5892, 250
    jz @7838, L60
    vmuli @7642, @500, 196, #17180, sh16
    outer.sr @7642, @4142, r0, c0, 196, 250, sh54
L60:
    send route30, @4142, 250
    send route32, @4142, 250
    send route34, @4142, 250
    jz @7838, L66
    vaxpy @250, @250, @4142, 250, #17180, sh34
L66:
    probe probe3, @4142, 250
    barrier
    recv route24, @4642, 250
    vcopy @4392, @4642, 250
    vmul @6892, @6892, @4392, 250, sh24
    barrier
    barrier
    recv route28, @6642, 250
    vcopy @6392, @6642, 250
    vmul @3892, @3142, @6392, 250, sh24
    vaxpy @7142, @3892, @6892, 250, #32768, sh15
    vadd @7392, @7392, @7142, 250
    vsub @3892, @7392, @2892, 250
    vcopy @4892, @3892, 250
    vaxpy @2892, @2892, @4892, 250, #26214, sh18
    probe probe1, @2892, 250
    halt

.core 5
    in port3, @7838, 1
    vcopy @0, @250, 250
    vlut @2642, @2892, 250, lut0
    vlut @3142, @2892, 250, lut1
    vset @3392, 250, #0
    vset @3642, 250, #0
    send route23, @2642, 250
    vaxpy @5392, @2892, @4892, 250, #32768, sh15
    vset @5892, 250, #0
    vmul @6892, @3392, @4892, 250, sh24
    probe probe2, @2642, 250
    barrier
    recv route4, @500, 196
    mvm.acc @0, @500, r0, c0, 196, 250, sh-10, sh+14
    recv route15, @1696, 196
    mvm @1446, @1696, r0, c0, 196, 250, sh-10, sh+14
    barrier
    recv route6, @696, 250
    vadd @0, @0, @696, 250
    recv route8, @946, 250
    vadd @0, @0, @946, 250
    recv route10, @1196, 250
    vadd @0, @0, @1196, 250
    recv route17, @1892, 250
    vadd @1446, @1446, @1892, 250
    recv route19, @2142, 250
    vadd @1446, @1446, @2142, 250
    recv route21, @2392, 250
    vadd @1446, @1446, @2392, 250
    vsub @3892, @2892, @0, 250
    vsub @4142, @3892, @3642, 250
    recv route25, @4642, 250
    vcopy @4392, @4642, 250
    vmul @3892, @3142, @4892, 250, sh24
    vaxpy @5142, @2642, @3892, 250, #32768, sh15
    vaxpy @5642, @0, @1446, 250, #32768, sh15
    vsub @3892, @5392, @5642, 250
    vsub @6142, @3892, @5892, 250
    send route27, @5142, 250
    vmul @6892, @6892, @4392, 250, sh24
    vadd @7392, @5642, @5892, 250
    jz @7838, L65
    vmuli @7642, @500, 196, #17180, sh16
    outer.sr @7642, @4142, r0, c0, 196, 250, sh54
L65:
    send route31, @4142, 250
    send route33, @4142, 250
    send route35, @4142, 250
    jz @7838, L71
    vaxpy @250, @250, @4142, 250, #17180, sh34
L71:
    probe probe3, @4142, 250
    barrier
    barrier
    recv route29, @6642, 250
    vcopy @6392, @6642, 250
    vmul @3892, @3142, @6392, 250, sh24
    vaxpy @7142, @3892, @6892, 250, #32768, sh15
    vadd @7392, @7392, @7142, 250
    vsub @3892, @7392, @2892, 250
    vcopy @4892, @3892, 250
    vaxpy @2892, @2892, @4892, 250, #26214, sh18
    probe probe1, @2892, 250
    halt

.core 6
    in port3, @1338, 1
    barrier
    recv route5, @0, 196
    mvm @196, @0, r0, c0, 196, 250, sh-10, sh+14
    send route6, @196, 250
    recv route16, @446, 196
    mvm @642, @446, r0, c0, 196, 250, sh-10, sh+14
    send route17, @642, 250
    barrier
    barrier
    recv route31, @892, 250
    jz @1338, L18
    vmuli @1142, @0, 196, #17180, sh16
    outer.sr @1142, @892, r0, c0, 196, 250, sh54
L18:
    barrier
    halt

.core 7
    in port3, @1338, 1
    barrier
    recv route9, @0, 196
    mvm @196, @0, r0, c0, 196, 250, sh-10, sh+14
    send route10, @196, 250
    recv route20, @446, 196
    mvm @642, @446, r0, c0, 196, 250, sh-10, sh+14
    send route21, @642, 250
    barrier
    barrier
    recv route35, @892, 250
    jz @1338, L18
    vmuli @1142, @0, 196, #17180, sh16
    outer.sr @1142, @892, r0, c0, 196, 250, sh54
L18:
    barrier
    halt

.core 8
    barrier
    barrier
    barrier
    barrier
    halt

.core 9
    barrier
    barrier
    barrier
    barrier
    halt

.core 10
    barrier
    barrier
    barrier
    barrier
    halt

.core 11
    barrier
    barrier
    barrier
    barrier
    halt

.core 12
    barrier
    barrier
    barrier
    barrier
    halt

.core 13
    in port3, @1338, 1
    barrier
    recv route7, @0, 196
    mvm @196, @0, r0, c0, 196, 250, sh-10, sh+14
    send route8, @196, 250
    recv route18, @446, 196
    mvm @642, @446, r0, c0, 196, 250, sh-10, sh+14
    send route19, @642, 250
    barrier
    barrier
    recv route33, @892, 250
    jz @1338, L18
    vmuli @1142, @0, 196, #17180, sh16
    outer.sr @1142, @892, r0, c0, 196, 250, sh54
L18:
    barrier
    halt
