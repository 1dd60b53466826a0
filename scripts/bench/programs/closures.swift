func scale(_ k: Int) -> (Int) -> Int { { x in x * k } }
let triple = scale(3)
let limit = 1_000
print((0..<3_000_000).map(triple).filter { $0 % limit < 500 }.map { $0 + limit }.reduce(0, +))
