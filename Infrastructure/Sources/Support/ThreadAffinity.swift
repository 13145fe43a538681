import CGlibcExtras
import Glibc

/// Keeps the calling thread on one CPU (`sched_setaffinity`), for measurements that compare a hop
/// between threads on the same CPU with one between CPUs (`pizzeria probe wakeup`). The pipeline
/// itself never pins a thread: the scheduler places them.
public enum ThreadAffinity {
    /// Pins the calling thread to `cpu`; false (errno set) when the kernel refuses, for instance
    /// because `cpu` is outside the process' allowed set.
    @discardableResult
    public static func pinCurrentThread(toCPU cpu: Int) -> Bool {
        guard cpu >= 0, cpu < 1024 else { return false }
        var mask = [UInt8](repeating: 0, count: 128)  // 1,024 CPUs, glibc's cpu_set_t
        mask[cpu / 8] |= UInt8(1) << UInt8(cpu % 8)
        return mask.withUnsafeBytes { sched_setaffinity(0, $0.count, $0.baseAddress) } == 0
    }
}
