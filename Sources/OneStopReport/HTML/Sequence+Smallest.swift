extension Sequence {
    /// The `count` first elements in `areInIncreasingOrder`'s order, in that order: one pass,
    /// holding `count` elements, so choosing the few shown among 200,000 agencies sorts none.
    func smallest(_ count: Int, by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element] {
        guard count > 0 else { return [] }
        var kept: [Element] = []
        kept.reserveCapacity(count + 1)
        for element in self {
            if kept.count == count, let last = kept.last, !areInIncreasingOrder(element, last) { continue }
            // Insert after every kept element that is not after it: equal elements keep their order.
            var index = kept.count
            while index > 0 && areInIncreasingOrder(element, kept[index - 1]) { index -= 1 }
            kept.insert(element, at: index)
            if kept.count > count { kept.removeLast() }
        }
        return kept
    }
}
