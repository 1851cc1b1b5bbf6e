/// One one-stop-shop system feeding the run: a name and the level its dossiers count at (R16).
public struct Source: Sendable, Hashable {
    public var name: String
    public var level: Level

    public init(name: String, level: Level) {
        self.name = name
        self.level = level
    }
}
