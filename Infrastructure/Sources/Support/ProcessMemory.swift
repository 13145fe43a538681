import CGlibcExtras

/// Process-wide memory settings for the long-running commands.
public enum ProcessMemory {
    /// Caps glibc's malloc arenas. By default each thread that meets a locked arena gets one of its
    /// own (up to 8 per core), and each keeps freed memory for itself: with a handful of busy
    /// threads (consumers, relay, event loops) that is several MiB of resident memory for nothing.
    /// Call it early, before the threads start. Returns false if glibc refused.
    @discardableResult
    public static func limitMallocArenas(to count: Int32) -> Bool {
        mallopt(M_ARENA_MAX, count) == 1
    }
}
