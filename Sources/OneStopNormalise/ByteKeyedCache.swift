#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 64-bit hash of a byte string (multiply–xorshift over 8-byte words, the tail read as one
/// overlapping word); never 0.
@inline(__always)
func hashBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let count = bytes.count
    var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
    guard let base = bytes.baseAddress, count > 0 else { return hash | 1 }
    let raw = UnsafeRawPointer(base)
    if count >= 8 {
        var index = 0
        while index &+ 8 < count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index &+= 8
        }
        hash ^= raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
    } else if count >= 4 {
        hash ^= UInt64(raw.loadUnaligned(as: UInt32.self)) << 32
            | UInt64(raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
    } else {
        hash ^= UInt64(base[0]) << 16 | UInt64(base[count >> 1]) << 8 | UInt64(base[count &- 1])
    }
    hash = (hash ^ (hash >> 29)) &* 0x94D0_49BB_1331_11EB
    hash = (hash ^ (hash >> 32)) &* 0xD6E8_FEB8_6659_FD93
    return (hash ^ (hash >> 32)) | 1
}

/// Whether `count` bytes at `a` and `b` are equal; short keys compared by overlapping words.
@inline(__always)
func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let x = UnsafeRawPointer(a)
    let y = UnsafeRawPointer(b)
    if count >= 8 {
        if count > 16 { return memcmp(a, b, count) == 0 }
        return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
            && x.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                == y.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
    }
    if count >= 4 {
        return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
            && x.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                == y.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
    }
    var index = 0
    while index < count {
        if a[index] != b[index] { return false }
        index &+= 1
    }
    return true
}

/// Remembers what a raw value (its exact bytes) normalised to, for the values that repeat from
/// record to record: codes, value-map keys, procedure names. One per field and per parsing
/// thread, so it needs no lock (and its stored properties skip dynamic exclusivity checks); it
/// forgets everything when it reaches `maxEntries`, so a field whose values never repeat cannot
/// make it grow with the file.
final class ByteKeyedCache {
    private struct Slot {
        var hash: UInt64 = 0  // 0: empty
        var offset: Int32 = 0
        var length: Int32 = 0
        var value: Int32 = 0
    }

    /// Longer values are not remembered (computed every time).
    static let maxKeyBytes = 512
    static let maxEntries = 1 << 14

    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Slot>
    @exclusivity(unchecked) private var mask: Int
    @exclusivity(unchecked) private var count = 0
    @exclusivity(unchecked) private var keys: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var keysUsed = 0
    @exclusivity(unchecked) private var keysCapacity: Int

    init() {
        mask = 63
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: Slot(), count: mask + 1)
        keysCapacity = 4096
        keys = .allocate(capacity: keysCapacity)
    }

    deinit {
        slots.deallocate()
        keys.deallocate()
    }

    /// The value remembered for `bytes`, else `compute()`'s, remembered.
    @inline(__always)
    func value(for bytes: UnsafeBufferPointer<UInt8>, _ compute: () -> Int32) -> Int32 {
        guard bytes.count <= Self.maxKeyBytes else { return compute() }
        let hash = hashBytes(bytes)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.hash == 0 { break }
            if slot.hash == hash, Int(slot.length) == bytes.count,
               bytes.count == 0 || bytesEqual(keys + Int(slot.offset), bytes.baseAddress!, bytes.count)
            {
                return slot.value
            }
            index = (index &+ 1) & mask
        }
        let value = compute()
        insert(bytes, hash: hash, value: value)
        return value
    }

    private func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int32) {
        if count >= Self.maxEntries { clear() }
        if (count + 1) * 2 > mask + 1 { grow() }
        if keysUsed + bytes.count > keysCapacity {
            var capacity = keysCapacity * 2
            while keysUsed + bytes.count > capacity { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: keys, count: keysUsed)
            keys.deallocate()
            keys = grown
            keysCapacity = capacity
        }
        if let base = bytes.baseAddress { (keys + keysUsed).update(from: base, count: bytes.count) }
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index].hash != 0 { index = (index &+ 1) & mask }
        slots[index] = Slot(hash: hash, offset: Int32(keysUsed), length: Int32(bytes.count), value: value)
        keysUsed += bytes.count
        count += 1
    }

    private func grow() {
        let old = slots
        let oldCapacity = mask + 1
        mask = oldCapacity * 2 - 1
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: Slot(), count: mask + 1)
        for position in 0..<oldCapacity where old[position].hash != 0 {
            var index = Int(truncatingIfNeeded: old[position].hash) & mask
            while slots[index].hash != 0 { index = (index &+ 1) & mask }
            slots[index] = old[position]
        }
        old.deallocate()
    }

    private func clear() {
        slots.update(repeating: Slot(), count: mask + 1)
        count = 0
        keysUsed = 0
    }
}
