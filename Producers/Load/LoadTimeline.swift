import Foundation

/// The file `pizzeria load --timeline PATH` writes: when the run started, one JSON line per order,
/// then one per CPU sample of the machine, so that slow orders can be laid beside what the machine
/// was doing (and, by the start's wall-clock time, beside logs and traces).
///
/// ```
/// {"started":1764691200.25}
/// {"order":0,"id":"0193…","sent":0.0021,"createdMs":3.1,"placedMs":4.2,"acceptedStampMs":7,"acceptedMs":11.8,"deliveredMs":40.3}
/// {"sample":{"start":0,"end":0.1001,"busy":0.143,"idle":0.051,"steal":0.006}}
/// ```
/// Times of orders are in seconds from the run's start (`sent`) and milliseconds from the POST
/// (the rest, absent when the status was not seen); samples are CPU seconds of all CPUs.
/// `placedStampMs` and `acceptedStampMs` are when the web front and the kitchen stamped those
/// changes (the notice's `at`, to the millisecond by the wall clock, taken before their commits), so
/// a slow `accepted` splits into the way to the kitchen (relay, RabbitMQ, the kitchen's gather) and
/// the kitchen's commit, flush and notice.
struct LoadTimeline {
    /// One order's line.
    struct OrderLine: Encodable {
        var order: Int
        var id: String
        var sent: Double
        var createdMs: Double
        var placedMs: Double?
        var placedStampMs: Double?
        var acceptedStampMs: Double?
        var acceptedMs: Double?
        var deliveredMs: Double?
    }

    private struct SampleLine: Encodable {
        var sample: MachineSample
    }

    private struct StartLine: Encodable {
        var started: Double
    }

    /// The run's start (time 0 of `sent` and of the samples), in seconds since 1970.
    var started: Date
    var orders: [OrderLine] = []
    var samples: [MachineSample] = []

    /// Writes the lines to `path`, replacing the file.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(StartLine(started: started.timeIntervalSince1970))
        data.append(0x0A)
        for line in orders {
            data += try encoder.encode(line)
            data.append(0x0A)
        }
        for sample in samples {
            data += try encoder.encode(SampleLine(sample: sample))
            data.append(0x0A)
        }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
