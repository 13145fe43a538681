import Foundation
import Infrastructure
import Logging

/// The web front's housekeeping thread: applies kitchen bumps once their recall window has passed
/// (their events go to the outbox relay as any commit's do), and prunes old idempotency records
/// every ten minutes. Runs on its own thread (GRDB's writes block).
public struct KitchenBumpApplier: Sendable {
    let database: PizzeriaDatabase
    let logger: Logger
    public let control = LoopControl()

    public init(database: PizzeriaDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public var service: ThreadService {
        ThreadService(name: "kitchen-bumps", control: control) { [self] control in
            var lastPrune = ContinuousClock.now - .seconds(3600)
            while !control.wait(.milliseconds(250)) {
                do {
                    try database.applyDueBumps()
                    if ContinuousClock.now - lastPrune > .seconds(600) {
                        lastPrune = .now
                        let removed = try database.pruneIdempotencyRecords()
                        if removed > 0 { logger.info("housekeeping.pruned", metadata: ["rows": "\(removed)"]) }
                    }
                } catch {
                    logger.warning("housekeeping.failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
