internal import CLibXML2

/// A `DialectMatcher` laid out for one parse: plain buffers the SAX callbacks read without
/// retain/release or exclusivity checks, and names interned in that parser's dictionary.
/// SAX2 hands over element and attribute local names from the same dictionary, so comparing
/// pointers compares names. Owned by one `ParseSession`, which calls `deallocate()`.
struct FlatTrie {
    /// Bits of `flags`.
    enum Flag {
        static let record: UInt8 = 1
        static let supplement: UInt8 = 2
        static let attachment: UInt8 = 4
    }

    /// Node `n`'s children are entries `childStart[n] ..< childStart[n + 1]`.
    let childStart: UnsafeMutablePointer<Int32>
    let childName: UnsafeMutablePointer<UnsafePointer<xmlChar>?>
    let childNode: UnsafeMutablePointer<Int32>
    let flags: UnsafeMutablePointer<UInt8>
    /// Node `n`'s own text goes to `targets[textStart[n] ..< textEnd[n]]`.
    let textStart: UnsafeMutablePointer<Int32>
    let textEnd: UnsafeMutablePointer<Int32>
    /// Node `n`'s attribute captures are `captureStart[n] ..< captureEnd[n]`; capture `c` reads
    /// the attribute `captureName[c]` into `targets[captureTargetStart[c] ..< captureTargetEnd[c]]`.
    let captureStart: UnsafeMutablePointer<Int32>
    let captureEnd: UnsafeMutablePointer<Int32>
    let captureName: UnsafeMutablePointer<UnsafePointer<xmlChar>?>
    /// Index into `DialectMatcher.names`, for messages.
    let captureNameIndex: UnsafeMutablePointer<Int32>
    let captureTargetStart: UnsafeMutablePointer<Int32>
    let captureTargetEnd: UnsafeMutablePointer<Int32>
    let targets: UnsafeMutablePointer<DialectMatcher.Target>

    init(_ matcher: DialectMatcher, dictionary: xmlDictPtr?) {
        let nodes = matcher.nodes
        let names: [UnsafePointer<xmlChar>?] = matcher.names.map { name in
            name.withCString { xmlDictLookup(dictionary, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self), -1) }
        }
        let edgeCount = nodes.reduce(0) { $0 + $1.children.count }
        let captureCount = nodes.reduce(0) { $0 + $1.attributes.count }
        let targetCount = nodes.reduce(0) { total, node in
            total + node.textTargets.count + node.attributes.reduce(0) { $0 + $1.targets.count }
        }
        childStart = .allocate(capacity: nodes.count + 1)
        childName = .allocate(capacity: max(edgeCount, 1))
        childNode = .allocate(capacity: max(edgeCount, 1))
        flags = .allocate(capacity: nodes.count)
        textStart = .allocate(capacity: nodes.count)
        textEnd = .allocate(capacity: nodes.count)
        captureStart = .allocate(capacity: nodes.count)
        captureEnd = .allocate(capacity: nodes.count)
        captureName = .allocate(capacity: max(captureCount, 1))
        captureNameIndex = .allocate(capacity: max(captureCount, 1))
        captureTargetStart = .allocate(capacity: max(captureCount, 1))
        captureTargetEnd = .allocate(capacity: max(captureCount, 1))
        targets = .allocate(capacity: max(targetCount, 1))

        var edge = 0
        var capture = 0
        var target = 0
        for (index, node) in nodes.enumerated() {
            childStart[index] = Int32(edge)
            for child in node.children {
                childName[edge] = names[nodes[child].name]
                childNode[edge] = Int32(child)
                edge += 1
            }
            var bits: UInt8 = 0
            if node.isRecord { bits |= Flag.record }
            if node.isSupplement { bits |= Flag.supplement }
            if node.isAttachment { bits |= Flag.attachment }
            flags[index] = bits

            textStart[index] = Int32(target)
            for text in node.textTargets {
                (targets + target).initialize(to: text)
                target += 1
            }
            textEnd[index] = Int32(target)

            captureStart[index] = Int32(capture)
            for attribute in node.attributes {
                captureName[capture] = names[attribute.name]
                captureNameIndex[capture] = Int32(attribute.name)
                captureTargetStart[capture] = Int32(target)
                for each in attribute.targets {
                    (targets + target).initialize(to: each)
                    target += 1
                }
                captureTargetEnd[capture] = Int32(target)
                capture += 1
            }
            captureEnd[index] = Int32(capture)
        }
        childStart[nodes.count] = Int32(edge)
    }

    func deallocate() {
        childStart.deallocate()
        childName.deallocate()
        childNode.deallocate()
        flags.deallocate()
        textStart.deallocate()
        textEnd.deallocate()
        captureStart.deallocate()
        captureEnd.deallocate()
        captureName.deallocate()
        captureNameIndex.deallocate()
        captureTargetStart.deallocate()
        captureTargetEnd.deallocate()
        targets.deallocate()  // Target is a trivial enum: nothing to deinitialize
    }
}
