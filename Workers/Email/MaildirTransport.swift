import Foundation
import Glibc

/// Where emails go.
public protocol EmailTransport: Sendable {
    /// Delivers a message; throws when it could not (the caller retries later).
    func send(_ message: EmailMessage, fileName: String) throws
}

/// Writes each message into a maildir (`tmp/` then an atomic rename into `new/`), which any mail
/// reader can open. The file name is fixed per order and kind, so a redelivered message that is
/// sent again replaces the file instead of adding a second one.
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

    private func write(_ message: EmailMessage, fileName: String) throws {
        let fileManager = FileManager.default
        for folder in ["tmp", "new", "cur"] {
            try fileManager.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let temporary = directory.appendingPathComponent("tmp").appendingPathComponent(fileName)
        let final = directory.appendingPathComponent("new").appendingPathComponent(fileName)
        try Data(message.rendered().utf8).write(to: temporary)
        if rename(temporary.path, final.path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final.path])
        }
    }
}

/// Why the maildir could not take a message, in words that are the same for every message.
public struct MaildirError: Error, Sendable, CustomStringConvertible {
    public var description: String

    static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? any Error {
            let posix = underlying as NSError
            if posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
        }
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        return "\(error.domain) error \(error.code)"
    }
}
