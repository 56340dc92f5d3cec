package dev.nodedoctor.cgroup;

/** The pids controller: tasks (threads) now and the limit; -1 = unknown, {@link Long#MAX_VALUE} = "max". */
public record CgroupPids(long current, long max) {
}
