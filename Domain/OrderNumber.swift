/// The short number staff and customers say aloud: the last 8 characters of the id, upper-cased.
///
/// The last ones, not the first: order ids are UUIDv7 (``TimeOrderedID``), whose first 8 hex digits
/// are the time and are the same for every order placed within the same minute or so, while the
/// last ones are random.
public enum OrderNumber {
    public static func short(_ orderId: String) -> String { String(orderId.suffix(8)).uppercased() }

    /// ``short(_:)``, or `-` when there is no order id (a dead letter that never decoded).
    public static func label(_ orderId: String?) -> String {
        guard let orderId, !orderId.isEmpty else { return "-" }
        return short(orderId)
    }
}
