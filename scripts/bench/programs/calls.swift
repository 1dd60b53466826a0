var acc = 0
for i in 0..<3_000_000 {
    acc = acc + i % 7 + min(i, 100) + abs(50 - i)
}
print(acc)
