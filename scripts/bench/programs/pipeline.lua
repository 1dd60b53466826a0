local xs = {}
for i = 0, 2999999 do xs[#xs + 1] = i end
local f = {}
for _, x in ipairs(xs) do if x % 3 == 0 then f[#f + 1] = x end end
local s = 0
for _, x in ipairs(f) do s = s + x * 2 end
print(s)
