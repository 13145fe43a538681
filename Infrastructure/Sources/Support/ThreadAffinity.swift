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
        guard cpu >= 0, cpu < maskBytes * 8 else { return false }
        var mask = [UInt8](repeating: 0, count: maskBytes)
        mask[cpu / 8] |= UInt8(1) << UInt8(cpu % 8)
        return mask.withUnsafeBytes { sched_setaffinity(0, $0.count, $0.baseAddress) } == 0
    }

    /// The CPUs the calling thread may run on, in order (empty if the kernel does not say).
    public static func allowedCPUs() -> [Int] {
        var mask = [UInt8](repeating: 0, count: maskBytes)
        guard mask.withUnsafeMutableBytes({ sched_getaffinity(0, $0.count, $0.baseAddress) }) == 0 else { return [] }
        return (0..<maskBytes * 8).filter { mask[$0 / 8] & (UInt8(1) << UInt8($0 % 8)) != 0 }
    }

    /// glibc's `cpu_set_t`: a bit for each of 1,024 CPUs.
    private static let maskBytes = 128
}
