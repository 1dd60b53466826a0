local acc = 0
for i = 0, 2999999 do
  acc = acc + i % 7 + math.min(i, 100) + math.abs(50 - i)
end
print(acc)
