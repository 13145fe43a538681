import Foundation
import Glibc
import Infrastructure

/// Where emails go.
public protocol EmailTransport: Sendable {
    /// Delivers a message; throws when it could not (the caller retries later).
    func send(_ message: EmailMessage, fileName: String) throws
    /// Makes the messages sent since the last call durable; the email worker calls it once per
    /// batch, before it records the batch's emails as sent. Throws when it could not (the batch's
    /// messages are then retried, not recorded).
    func flush() throws
}

extension EmailTransport {
    /// Nothing to do for transports whose `send` returns once the message is safe elsewhere
    /// (SMTP: a `250` after `DATA` means the server has taken responsibility for it).
    public func flush() throws {}
}

/// Writes each message into a maildir (`tmp/` then an atomic rename into `new/`), which any mail
/// reader can open. The file name is fixed per order and kind, so a redelivered message that is
/// sent again replaces the file instead of adding a second one. ``flush()`` makes a batch's files
/// and renames durable with one `syncfs` before the batch is recorded as sent: without it, a
/// power cut could lose an email that the database says went out.
public struct MaildirTransport: EmailTransport {
    public let directory: URL

    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory)
    }

    public func send(_ message: EmailMessage, fileName: String) throws {
        do {
            try write(message, fileName: fileName)
        } catch {
            // One stable text per cause (no file name, no dictionary dump): dead letters group by it.
            throw MaildirError(description: "maildir \(directory.path): \(MaildirError.reason(error))")
        }
    }

    public func flush() throws {
        if let code = FileSystemFlush.flush(directory: directory.path) {
            throw MaildirError(description: "maildir \(directory.path): \(String(cString: strerror(code)))")
        }
    }

    /// Plain POSIX calls: one `open`, `write`, `close` and `rename` per message. The folders are
    /// created only when a call finds one missing (first message, or someone removed them).
    private func write(_ message: EmailMessage, fileName: String) throws {
        let bytes = Array(message.rendered().utf8)
        let temporary = directory.path + "/tmp/" + fileName
        let final = directory.path + "/new/" + fileName
        try withFolders { try Self.writeFile(temporary, bytes) }
        try withFolders {
            guard rename(temporary, final) == 0 else { throw POSIXFailure(code: errno) }
        }
    }

    private func withFolders(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as POSIXFailure where failure.code == ENOENT {
            for folder in ["tmp", "new", "cur"] {
                try FileManager.default.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            try body()
        }
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXFailure(code: errno) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure(code: errno)
            }
            written += count
        }
    }
}

/// A failed POSIX call's `errno`.
struct POSIXFailure: Error {
    var code: Int32
}

/// Why the maildir could not take a message, in words that are the same for every message.
public struct MaildirError: Error, Sendable, CustomStringConvertible {
    public var description: String

    static func reason(_ error: any Error) -> String {
        if let failure = error as? POSIXFailure { return String(cString: strerror(failure.code)) }
        let error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? any Error {
            let posix = underlying as NSError
            if posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
        }
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        return "\(error.domain) error \(error.code)"
    }
}
