.core 0
    in port3, @3190, 1
    in port0, @0, 196
    tgt port1, @196, 10
    in port2, @206, 10
    vsub @216, @0, @412, 196
    vcopy @608, @216, 196
    send route0, @412, 196
    send route4, @412, 196
    vaxpy @804, @412, @608, 196, #32768, sh15
    send route11, @804, 196
    send route15, @804, 196
    vcopy @1000, @1010, 10
    vcopy @1020, @1010, 10
    vlut @1030, @1040, 10, lut0
    vlut @1050, @1040, 10, lut1
    vsub @1570, @1040, @1000, 10
    vaxpy @1610, @1040, @1590, 10, #32768, sh15
    vset @2640, 10, #0
    vmul @2650, @1050, @2640, 10, sh10
    vsub @2660, @196, @2670, 10
    vaxpy @2660, @196, @2660, 10, #20480, sh11
    vsub @2660, @2660, @1610, 10
    vmul @2660, @206, @2660, 10, sh10
    vaxpy @2650, @2650, @2660, 10, #26214, sh18
    vcopy @2670, @196, 10
    vaxpy @412, @412, @608, 196, #26214, sh18
    probe probe0, @412, 196
    probe probe5, @1030, 10
    probe probe7, @196, 10
    barrier
    recv route22, @1070, 250
    mvm @1060, @1070, r0, c0, 250, 10, sh-4, sh+7
    recv route23, @1320, 250
    mvm.acc @1060, @1320, r0, c10, 250, 10, sh-4, sh+7
    vsub @1580, @1570, @1060, 10
    vmul @1570, @1050, @1590, 10, sh10
    vaxpy @1600, @1030, @1570, 10, #32768, sh15
    vsub @1570, @1610, @1020, 10
    jz @3190, L58
    vaxpy @1010, @1010, @1580, 10, #17180, sh34
L58:
    probe probe6, @1580, 10
    barrier
    recv route24, @1630, 250
    mvm @1620, @1630, r0, c0, 250, 10, sh-4, sh+7
    barrier
    recv route25, @1880, 250
    mvm.acc @1620, @1880, r0, c10, 250, 10, sh-4, sh+7
    vsub @2130, @1570, @1620, 10
    vmuli @3191, @2130, 10, #-1, sh0
    mvmt @2140, @2130, r0, c0, 250, 10, sh-5, sh+7
    mvmt @3447, @3191, r0, c0, 250, 10, sh-5, sh+7
    vsub @2140, @2140, @3447, 250
    send route26, @2140, 250
    vmuli @3191, @2130, 10, #-1, sh0
    mvmt @2390, @2130, r0, c10, 250, 10, sh-5, sh+7
    mvmt @3447, @3191, r0, c10, 250, 10, sh-5, sh+7
    vsub @2390, @2390, @3447, 250
    send route27, @2390, 250
    vadd @2680, @1020, @1620, 10
    vadd @2680, @2680, @2650, 10
    vsub @1570, @2680, @1040, 10
    vcopy @1590, @1570, 10
    jz @3190, L99
    vmuli @2690, @1070, 250, #17180, sh16
    outer.sr @2690, @1580, r0, c0, 250, 10, sh32
L99:
    jz @3190, L104
    vmuli @2940, @1320, 250, #17180, sh16
    outer.sr @2940, @1580, r0, c10, 250, 10, sh32
L104:
    vaxpy @1040, @1040, @1590, 10, #26214, sh18
    probe probe4, @1040, 10
    barrier
    halt

.core 1
    in port3, @1926, 1
    in port0, @0, 196
    vsub @196, @0, @392, 196
    vcopy @588, @196, 196
    mvm @784, @392, r0, c0, 196, 250, sh-4, sh+7
    send route1, @784, 250
    send route5, @392, 196
    vaxpy @1034, @392, @588, 196, #32768, sh15
    mvm @1230, @1034, r0, c0, 196, 250, sh-4, sh+7
    send route12, @1230, 250
    send route16, @1034, 196
    barrier
    barrier
    recv route28, @1480, 250
    jz @1926, L23
    vmuli @1730, @392, 196, #17180, sh16
    outer.sr @1730, @1480, r0, c0, 196, 250, sh32
L23:
    vaxpy @392, @392, @588, 196, #26214, sh18
    probe probe0, @392, 196
    barrier
    barrier
    halt

.core 2
    in port3, @1926, 1
    in port0, @0, 196
    vsub @196, @0, @392, 196
    vcopy @588, @196, 196
    mvm @784, @392, r0, c0, 196, 250, sh-4, sh+7
    send route2, @784, 250
    send route7, @392, 196
    vaxpy @1034, @392, @588, 196, #32768, sh15
    mvm @1230, @1034, r0, c0, 196, 250, sh-4, sh+7
    send route13, @1230, 250
    send route18, @1034, 196
    barrier
    barrier
    recv route30, @1480, 250
    jz @1926, L23
    vmuli @1730, @392, 196, #17180, sh16
    outer.sr @1730, @1480, r0, c0, 196, 250, sh32
L23:
    vaxpy @392, @392, @588, 196, #26214, sh18
    probe probe0, @392, 196
    barrier
    barrier
    halt

.core 3
    in port3, @1926, 1
    in port0, @0, 196
    vsub @196, @0, @392, 196
    vcopy @588, @196, 196
    mvm @784, @392, r0, c0, 196, 250, sh-4, sh+7
    send route3, @784, 250
    send route9, @392, 196
    vaxpy @1034, @392, @588, 196, #32768, sh15
    mvm @1230, @1034, r0, c0, 196, 250, sh-4, sh+7
    send route14, @1230, 250
    send route20, @1034, 196
    barrier
    barrier
    recv route32, @1480, 250
    jz @1926, L23
    vmuli @1730, @392, 196, #17180, sh16
    outer.sr @1730, @1480, r0, c0, 196, 250, sh32
L23:
    vaxpy @392, @392, @588, 196, #26214, sh18
    probe probe0, @392, 196
    barrier
    barrier
    halt

.core 4
    in port3, @6588, 1
    vcopy @0, @250, 250
    vcopy @1446, @250, 250
    vlut @2642, @2892, 250, lut0
    vlut @3142, @2892, 250, lut1
    vset @3392, 250, #0
    send route22, @2642, 250
    vaxpy @4642, @2892, @4142, 250, #32768, sh15
    vset @4892, 250, #0
    probe probe2, @2642, 250
    barrier
    recv route0, @500, 196
    mvm.acc @0, @500, r0, c0, 196, 250, sh-4, sh+7
    recv route1, @696, 250
    vadd @0, @0, @696, 250
    recv route2, @946, 250
    vadd @0, @0, @946, 250
    recv route3, @1196, 250
    vadd @0, @0, @1196, 250
    recv route11, @1696, 196
    mvm.acc @1446, @1696, r0, c0, 196, 250, sh-4, sh+7
    recv route12, @1892, 250
    vadd @1446, @1446, @1892, 250
    recv route13, @2142, 250
    vadd @1446, @1446, @2142, 250
    recv route14, @2392, 250
    vadd @1446, @1446, @2392, 250
    vsub @3642, @2892, @0, 250
    vsub @3892, @3642, @3392, 250
    vmul @3642, @3142, @4142, 250, sh10
    vaxpy @4392, @2642, @3642, 250, #32768, sh15
    vsub @3642, @4642, @1446, 250
    vsub @5142, @3642, @4892, 250
    send route24, @4392, 250
    vadd @6142, @1446, @4892, 250
    jz @6588, L56
    vmuli @6392, @500, 196, #17180, sh16
    outer.sr @6392, @3892, r0, c0, 196, 250, sh32
L56:
    send route28, @3892, 250
    send route30, @3892, 250
    send route32, @3892, 250
    jz @6588, L62
    vaxpy @250, @250, @3892, 250, #17180, sh34
L62:
    probe probe3, @3892, 250
    barrier
    barrier
    barrier
    recv route26, @5642, 250
    vcopy @5392, @5642, 250
    vmul @5892, @3142, @5392, 250, sh10
    vadd @6142, @6142, @5892, 250
    vsub @3642, @6142, @2892, 250
    vcopy @4142, @3642, 250
    vaxpy @2892, @2892, @4142, 250, #26214, sh18
    probe probe1, @2892, 250
    halt

.core 5
    in port3, @6588, 1
    vcopy @0, @250, 250
    vcopy @1446, @250, 250
    vlut @2642, @2892, 250, lut0
    vlut @3142, @2892, 250, lut1
    vset @3392, 250, #0
    send route23, @2642, 250
    vaxpy @4642, @2892, @4142, 250, #32768, sh15
    vset @4892, 250, #0
    probe probe2, @2642, 250
    barrier
    recv route4, @500, 196
    mvm.acc @0, @500, r0, c0, 196, 250, sh-4, sh+7
    recv route15, @1696, 196
    mvm.acc @1446, @1696, r0, c0, 196, 250, sh-4, sh+7
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
    vsub @3642, @2892, @0, 250
    vsub @3892, @3642, @3392, 250
    vmul @3642, @3142, @4142, 250, sh10
    vaxpy @4392, @2642, @3642, 250, #32768, sh15
    vsub @3642, @4642, @1446, 250
    vsub @5142, @3642, @4892, 250
    send route25, @4392, 250
    vadd @6142, @1446, @4892, 250
    jz @6588, L57
    vmuli @6392, @500, 196, #17180, sh16
    outer.sr @6392, @3892, r0, c0, 196, 250, sh32
L57:
    send route29, @3892, 250
    send route31, @3892, 250
    send route33, @3892, 250
    jz @6588, L63
    vaxpy @250, @250, @3892, 250, #17180, sh34
L63:
    probe probe3, @3892, 250
    barrier
    barrier
    recv route27, @5642, 250
    vcopy @5392, @5642, 250
    vmul @5892, @3142, @5392, 250, sh10
    vadd @6142, @6142, @5892, 250
    vsub @3642, @6142, @2892, 250
    vcopy @4142, @3642, 250
    vaxpy @2892, @2892, @4142, 250, #26214, sh18
    probe probe1, @2892, 250
    halt

.core 6
    in port3, @1338, 1
    barrier
    recv route5, @0, 196
    mvm @196, @0, r0, c0, 196, 250, sh-4, sh+7
    send route6, @196, 250
    recv route16, @446, 196
    mvm @642, @446, r0, c0, 196, 250, sh-4, sh+7
    send route17, @642, 250
    barrier
    barrier
    recv route29, @892, 250
    jz @1338, L18
    vmuli @1142, @0, 196, #17180, sh16
    outer.sr @1142, @892, r0, c0, 196, 250, sh32
L18:
    barrier
    halt

.core 7
    in port3, @1338, 1
    barrier
    recv route9, @0, 196
    mvm @196, @0, r0, c0, 196, 250, sh-4, sh+7
    send route10, @196, 250
    recv route20, @446, 196
    mvm @642, @446, r0, c0, 196, 250, sh-4, sh+7
    send route21, @642, 250
    barrier
    barrier
    recv route33, @892, 250
    jz @1338, L18
    vmuli @1142, @0, 196, #17180, sh16
    outer.sr @1142, @892, r0, c0, 196, 250, sh32
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
    mvm @196, @0, r0, c0, 196, 250, sh-4, sh+7
    send route8, @196, 250
    recv route18, @446, 196
    mvm @642, @446, r0, c0, 196, 250, sh-4, sh+7
    send route19, @642, 250
    barrier
    barrier
    recv route31, @892, 250
    jz @1338, L18
    vmuli @1142, @0, 196, #17180, sh16
    outer.sr @1142, @892, r0, c0, 196, 250, sh32
L18:
    barrier
    halt
