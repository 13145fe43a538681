import Domain

/// How the web front runs.
public struct WebFrontSettings: Sendable {
    public var host: String
    public var port: Int
    /// The base URL customers reach us at, used in tracking links (`http://127.0.0.1:8080`).
    public var publicURL: String
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    public var limits: OrderLimits
    /// The staff token (kitchen display, operator console); `nil` turns those pages off.
    public var staffToken: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, maxBodyBytes: Int = 64 * 1024,
                limits: OrderLimits = .standard, staffToken: String? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL ?? "http://\(host):\(port)"
        self.maxBodyBytes = maxBodyBytes
        self.limits = limits
        self.staffToken = staffToken
    }

    /// The customer's tracking page. The token travels in the fragment, which browsers never send
    /// to a server, so it does not end up in access logs or `Referer` headers.
    public func trackingURL(orderId: String, token: String) -> String {
        "\(publicURL)/track/\(orderId)#token=\(token)"
    }
}
