import Crypto
import Foundation

/// The secret a customer holds to see an order: 128 random bits, shown once, stored only hashed.
public enum TrackingToken {
    /// A new token: 32 lower-case hex characters from the system's secure random source.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let words = [generator.next() as UInt64, generator.next() as UInt64]
        return Digest.hex(words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * $0)) } })
    }

    /// SHA-256 of the token, hex: what the database and `OrderPlaced` carry.
    public static func hash(_ token: String) -> String {
        Digest.sha256Hex(Data(token.utf8))
    }

    /// Whether `token` matches `expectedHash`, comparing in constant time.
    public static func matches(_ token: String, hash expectedHash: String) -> Bool {
        ConstantTime.equals(hash(token), expectedHash)
    }
}

/// Comparisons whose duration does not depend on where the inputs differ.
public enum ConstantTime {
    public static func equals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for index in 0..<max(x.count, y.count) {
            let l = index < x.count ? x[index] : 0
            let r = index < y.count ? y[index] : 0
            difference |= l ^ r
        }
        return difference == 0
    }
}

/// SHA-256 digests as lower-case hex.
public enum Digest {
    public static func sha256Hex(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Lower-case hex of `bytes`, written by hand (`String(format:)` costs a formatter per call).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
