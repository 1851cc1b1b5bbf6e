/// Which shard reads which source: sources are never split (deduplication never crosses one), and
/// the shards' total bytes are balanced — the largest source first to the shard with the fewest
/// bytes so far (ties: the lower shard, then the source name). The same sources and sizes always
/// give the same assignment; every shard computes it and the merge checks they agree.
public enum ShardAssignment {
    /// Source name → shard (1…`shards`).
    public static func assign(_ sources: [(name: String, bytes: Int64)], shards: Int) -> [String: Int] {
        precondition(shards >= 1, "at least one shard")
        var load = [Int64](repeating: 0, count: shards)
        var assignment: [String: Int] = [:]
        for source in sources.sorted(by: { ($1.bytes, $0.name) < ($0.bytes, $1.name) }) {
            let lightest = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            load[lightest] += source.bytes
            assignment[source.name] = lightest + 1
        }
        return assignment
    }
}
