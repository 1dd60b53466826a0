/// A value per global, by the global's index: an array where the checker had
/// dictionaries keyed by index, whose hashing and cache misses showed in
/// checking a file of a million definitions. Reads past the end give nil.
struct GlobalTable<T> {
    private var slots: [T?] = []

    subscript(i: Int) -> T? {
        get { i >= 0 && i < slots.count ? slots[i] : nil }
        set {
            guard i >= 0 else { return }
            if i >= slots.count {
                if newValue == nil { return }
                slots.append(contentsOf: repeatElement(nil, count: i - slots.count + 1))
            }
            slots[i] = newValue
        }
    }

    /// Makes room for `n` globals up front.
    mutating func reserve(_ n: Int) { slots.reserveCapacity(n) }
}
