import CRabbitMQ
import Foundation
import Glibc

/// Memory handed to librabbitmq for one call: every string, byte string and table is copied into
/// storage this arena owns, and freed together when the call is over. This is what keeps Swift's
/// temporary buffers (which `amqp_cstring_bytes` would point into) out of the C side.
final class CMemoryArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit {
        for block in blocks { free(block) }
    }

    private func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        // malloc(0) may return NULL; always ask for at least one byte.
        guard let block = malloc(max(size, 1)) else { fatalError("out of memory (\(size) bytes)") }
        blocks.append(block)
        return block
    }

    /// A copy of `text`'s UTF-8 bytes (not NUL-terminated, as AMQP wants).
    func bytes(_ text: String) -> amqp_bytes_t {
        var utf8 = Array(text.utf8)
        return bytes(&utf8)
    }

    /// A copy of `data`.
    func bytes(_ data: Data) -> amqp_bytes_t {
        let block = allocate(data.count)
        data.copyBytes(to: block.assumingMemoryBound(to: UInt8.self), count: data.count)
        return amqp_bytes_t(len: data.count, bytes: block)
    }

    private func bytes(_ array: inout [UInt8]) -> amqp_bytes_t {
        let block = allocate(array.count)
        array.withUnsafeBytes { raw in
            if let base = raw.baseAddress { block.copyMemory(from: base, byteCount: raw.count) }
        }
        return amqp_bytes_t(len: array.count, bytes: block)
    }

    /// A NUL-terminated copy of `text`, for the few C calls that take `const char *`.
    func cString(_ text: String) -> UnsafePointer<CChar> {
        let utf8 = Array(text.utf8CString)
        let block = allocate(utf8.count)
        utf8.withUnsafeBytes { block.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return UnsafePointer(block.assumingMemoryBound(to: CChar.self))
    }

    /// An AMQP field table holding `headers`, sorted by key so the encoding is stable.
    func table(_ headers: [String: AMQPHeaderValue]) -> amqp_table_t {
        guard !headers.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let entries = allocate(MemoryLayout<amqp_table_entry_t>.stride * headers.count)
            .bindMemory(to: amqp_table_entry_t.self, capacity: headers.count)
        for (index, key) in headers.keys.sorted().enumerated() {
            entries[index] = amqp_table_entry_t(key: bytes(key), value: field(headers[key]!))
        }
        return amqp_table_t(num_entries: Int32(headers.count), entries: entries)
    }

    private func field(_ value: AMQPHeaderValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .string(let text):
            field.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
            field.value.bytes = bytes(text)
        case .int(let number):
            field.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
            field.value.i64 = number
        case .bool(let flag):
            field.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
            field.value.boolean = flag ? 1 : 0
        case .double(let number):
            field.kind = UInt8(AMQP_FIELD_KIND_F64.rawValue)
            field.value.f64 = number
        case .timestamp(let seconds):
            field.kind = UInt8(AMQP_FIELD_KIND_TIMESTAMP.rawValue)
            field.value.u64 = seconds
        case .bytes(let data):
            field.kind = UInt8(AMQP_FIELD_KIND_BYTES.rawValue)
            field.value.bytes = bytes(data)
        case .array(let values):
            field.kind = UInt8(AMQP_FIELD_KIND_ARRAY.rawValue)
            let items = allocate(MemoryLayout<amqp_field_value_t>.stride * max(values.count, 1))
                .bindMemory(to: amqp_field_value_t.self, capacity: max(values.count, 1))
            for (index, item) in values.enumerated() { items[index] = self.field(item) }
            field.value.array = amqp_array_t(num_entries: Int32(values.count), entries: items)
        case .table(let nested):
            field.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue)
            field.value.table = table(nested)
        case .void:
            field.kind = UInt8(AMQP_FIELD_KIND_VOID.rawValue)
        }
        return field
    }
}

/// Reading librabbitmq's values into Swift values (copies; the C memory may be released after).
enum CValues {
    static func string(_ bytes: amqp_bytes_t) -> String {
        guard bytes.len > 0, let base = bytes.bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: base, count: bytes.len), as: UTF8.self)
    }

    static func data(_ bytes: amqp_bytes_t) -> Data {
        guard bytes.len > 0, let base = bytes.bytes else { return Data() }
        return Data(bytes: base, count: bytes.len)
    }

    static func headers(_ table: amqp_table_t) -> [String: AMQPHeaderValue] {
        var out: [String: AMQPHeaderValue] = [:]
        guard table.num_entries > 0, let entries = table.entries else { return out }
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            out[string(entry.key)] = value(entry.value)
        }
        return out
    }

    static func value(_ field: amqp_field_value_t) -> AMQPHeaderValue {
        switch UInt32(field.kind) {
        case AMQP_FIELD_KIND_UTF8.rawValue: return .string(string(field.value.bytes))
        case AMQP_FIELD_KIND_BYTES.rawValue: return .bytes(data(field.value.bytes))
        case AMQP_FIELD_KIND_BOOLEAN.rawValue: return .bool(field.value.boolean != 0)
        case AMQP_FIELD_KIND_I8.rawValue: return .int(Int64(field.value.i8))
        case AMQP_FIELD_KIND_U8.rawValue: return .int(Int64(field.value.u8))
        case AMQP_FIELD_KIND_I16.rawValue: return .int(Int64(field.value.i16))
        case AMQP_FIELD_KIND_U16.rawValue: return .int(Int64(field.value.u16))
        case AMQP_FIELD_KIND_I32.rawValue: return .int(Int64(field.value.i32))
        case AMQP_FIELD_KIND_U32.rawValue: return .int(Int64(field.value.u32))
        case AMQP_FIELD_KIND_I64.rawValue: return .int(field.value.i64)
        case AMQP_FIELD_KIND_U64.rawValue: return .int(Int64(clamping: field.value.u64))
        case AMQP_FIELD_KIND_F32.rawValue: return .double(Double(field.value.f32))
        case AMQP_FIELD_KIND_F64.rawValue: return .double(field.value.f64)
        case AMQP_FIELD_KIND_TIMESTAMP.rawValue: return .timestamp(field.value.u64)
        case AMQP_FIELD_KIND_TABLE.rawValue: return .table(headers(field.value.table))
        case AMQP_FIELD_KIND_ARRAY.rawValue:
            let array = field.value.array
            guard array.num_entries > 0, let entries = array.entries else { return .array([]) }
            return .array((0..<Int(array.num_entries)).map { value(entries[$0]) })
        default: return .void
        }
    }

    static func properties(_ p: amqp_basic_properties_t) -> AMQPProperties {
        func has(_ flag: Int32) -> Bool { p._flags & UInt32(flag) != 0 }
        var out = AMQPProperties()
        if has(AMQP_BASIC_CONTENT_TYPE_FLAG) { out.contentType = string(p.content_type) }
        if has(AMQP_BASIC_DELIVERY_MODE_FLAG) { out.deliveryMode = p.delivery_mode }
        if has(AMQP_BASIC_MESSAGE_ID_FLAG) { out.messageId = string(p.message_id) }
        if has(AMQP_BASIC_CORRELATION_ID_FLAG) { out.correlationId = string(p.correlation_id) }
        if has(AMQP_BASIC_TYPE_FLAG) { out.type = string(p.type) }
        if has(AMQP_BASIC_TIMESTAMP_FLAG) { out.timestamp = p.timestamp }
        if has(AMQP_BASIC_EXPIRATION_FLAG) { out.expiration = string(p.expiration) }
        if has(AMQP_BASIC_APP_ID_FLAG) { out.appId = string(p.app_id) }
        if has(AMQP_BASIC_HEADERS_FLAG) { out.headers = headers(p.headers) }
        return out
    }
}

extension CMemoryArena {
    /// The C properties for `properties`, backed by this arena.
    func properties(_ properties: AMQPProperties) -> amqp_basic_properties_t {
        var p = amqp_basic_properties_t()
        p._flags = 0
        func set(_ flag: Int32) { p._flags |= UInt32(flag) }
        if let v = properties.contentType { p.content_type = bytes(v); set(AMQP_BASIC_CONTENT_TYPE_FLAG) }
        if let v = properties.deliveryMode { p.delivery_mode = v; set(AMQP_BASIC_DELIVERY_MODE_FLAG) }
        if let v = properties.messageId { p.message_id = bytes(v); set(AMQP_BASIC_MESSAGE_ID_FLAG) }
        if let v = properties.correlationId { p.correlation_id = bytes(v); set(AMQP_BASIC_CORRELATION_ID_FLAG) }
        if let v = properties.type { p.type = bytes(v); set(AMQP_BASIC_TYPE_FLAG) }
        if let v = properties.timestamp { p.timestamp = v; set(AMQP_BASIC_TIMESTAMP_FLAG) }
        if let v = properties.expiration { p.expiration = bytes(v); set(AMQP_BASIC_EXPIRATION_FLAG) }
        if let v = properties.appId { p.app_id = bytes(v); set(AMQP_BASIC_APP_ID_FLAG) }
        if !properties.headers.isEmpty { p.headers = table(properties.headers); set(AMQP_BASIC_HEADERS_FLAG) }
        return p
    }
}
