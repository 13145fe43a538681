import ArgumentParser

/// `pizzeria`: every role of the pipeline in one executable.
@main
struct Pizzeria: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pizzeria",
        abstract: "Pizzeria order pipeline: web front, queue workers and operator tools.",
        discussion: "Every option falls back to a PIZZERIA_* environment variable, then to a default that works with the servers ops/run starts.",
        subcommands: [Serve.self, Work.self, Migrate.self, DeadLetters.self, TopologyCommand.self, Load.self, Probe.self,
                      SSEBenchCommand.self])
}
