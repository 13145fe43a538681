import Foundation
import Glibc

/// A one-line progress bar, drawn only when its stream is a terminal.
final class ProgressBar {
    private let total: Int
    private let label: String
    private let stream: FileHandle
    private let enabled: Bool

    /// - Parameter stream: standard output (the default) or standard error.
    init(total: Int, label: String, stream: FileHandle = .standardOutput) {
        self.total = total
        self.label = label
        self.stream = stream
        enabled = isatty(stream.fileDescriptor) != 0
    }

    /// Redraws the bar; `detail` follows the count (`placed 812`).
    func update(_ done: Int, detail: String = "") {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = width * min(done, total) / total
        let line = "\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total)"
            + (detail.isEmpty ? "" : "  \(detail)") + "\u{1B}[K"
        stream.write(Data(line.utf8))
    }

    func finish() {
        if enabled && total > 0 { stream.write(Data("\n".utf8)) }
    }
}
