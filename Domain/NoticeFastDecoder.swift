/// The fast path for reading a status notice (`{"at","eventId","orderId","seq","status"}`, as the
/// relays write it): straight from its UTF-8 bytes, without `JSONDecoder`, which was a tenth of
/// the load generator's CPU (it reads six notices per order).
///
/// Like ``EventFastDecoder`` it reads only the happy shape and answers nil for anything else
/// (malformed or non-strict JSON, a missing, repeated or mistyped member, an unknown status, a
/// timestamp ``Timestamp/parse(_:)`` refuses), so that the caller's `JSONDecoder` path decides
/// those. What it accepts, it decodes as `JSONDecoder` does; `NoticeFastDecoderTests` compares
/// the two.
public enum NoticeFastDecoder {
    /// The notice in `text`, or nil when the text is not exactly the happy shape.
    public static func notice(from text: String) -> StatusNotice? {
        var text = text
        return text.withUTF8 { bytes in
            var reader = JSONByteReader(bytes)
            var orderId = Once<String>()
            var seq = Once<Int>()
            var status = Once<String>()
            var at = Once<String>()
            var eventId = Once<String?>()
            let read = reader.readObject { reader, key in
                switch key {
                case "orderId": orderId.set(reader.readString())
                case "seq": seq.set(reader.readInt())
                case "status": status.set(reader.readString())
                case "at": at.set(reader.readString())
                case "eventId": eventId.set(reader.readOptionalString())
                default: reader.skipValue()
                }
            }
            guard read, reader.isAtEnd(), let orderId = orderId.value, let seq = seq.value,
                  let name = status.value, let status = OrderStatus(rawValue: name),
                  let text = at.value, let at = Timestamp.parse(text)
            else { return nil }
            return StatusNotice(orderId: orderId, seq: seq, status: status, at: at, eventId: eventId.value ?? nil)
        }
    }
}
