acc = 0
for i in range(3_000_000):
    acc = acc + i % 7 + min(i, 100) + abs(50 - i)
print(acc)
