import Foundation
import HTTPTypes
import Hummingbird
import Infrastructure

/// Staff access to the kitchen display and the operator console.
///
/// The staff token is entered once in a login form; the browser then holds an HttpOnly,
/// SameSite=Strict session cookie derived from it (so the token itself never sits in a cookie, a
/// URL or a log). API clients may send `Authorization: Bearer <token>` instead. Every comparison
/// is constant-time. Without a configured token, staff features are closed.
struct StaffAuth: Sendable {
    static let cookieName = "pizzeria_staff"
    let token: String?
    let secureCookie: Bool

    init(token: String?, publicURL: String) {
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.secureCookie = publicURL.hasPrefix("https://")
    }

    /// The cookie value for this token: a digest, so a stolen cookie does not reveal the token.
    var sessionValue: String? {
        token.map { Digest.sha256Hex(Data("pizzeria-staff-session:\($0)".utf8)) }
    }

    func isStaff(_ request: Request) -> Bool {
        guard let token, let session = sessionValue else { return false }
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            return ConstantTime.equals(String(header.dropFirst(7)), token)
        }
        return Self.cookies(request)[Self.cookieName].map { ConstantTime.equals($0, session) } ?? false
    }

    /// Throws `401 unauthorized` (JSON) unless the request comes from staff.
    func require(_ request: Request) throws {
        guard isStaff(request) else { throw APIError.unauthorized }
    }

    /// Whether a submitted token is the staff token.
    func accepts(_ submitted: String) -> Bool {
        guard let token else { return false }
        return ConstantTime.equals(submitted, token)
    }

    func sessionCookie() -> String {
        "\(Self.cookieName)=\(sessionValue ?? ""); Path=/; HttpOnly; SameSite=Strict; Max-Age=43200\(secureCookie ? "; Secure" : "")"
    }

    static let clearedCookie = "\(cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"

    static func cookies(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                out[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return out
    }

    /// A same-site path to go back to after login (`/kitchen`), never another site.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"),
              raw.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return "/kitchen" }
        return raw
    }
}
