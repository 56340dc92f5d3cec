package dev.nodedoctor.cgroup;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupPathsTest {
    static final String POD = "/kubepods/burstable/pod5b1f2c7e-3d4a-4e8b-9c1d-2a7f6e0b9c41";

    @Test
    void descendantsAreBelowAndSiblingsWithACommonPrefixAreNot() {
        assertThat(CgroupPaths.isBelow(POD + "/7f3c9a1e", POD)).isTrue();
        assertThat(CgroupPaths.isBelow(POD, "/kubepods")).isTrue();
        assertThat(CgroupPaths.isBelow(POD, POD)).isFalse();
        // "/kubepods.slice" merely starts with "/kubepods"
        assertThat(CgroupPaths.isBelow("/kubepods.slice/x", "/kubepods")).isFalse();
        assertThat(CgroupPaths.isBelow("/kubepods", "/")).isTrue();
        assertThat(CgroupPaths.isBelow("/", "/")).isFalse();
        assertThat(CgroupPaths.isAtOrBelow("/", "/")).isTrue();
        assertThat(CgroupPaths.isAtOrBelow(POD, POD)).isTrue();
        assertThat(CgroupPaths.isAtOrBelow("/kubepods", POD)).isFalse();
    }
}
