func tak(_ x: Int, _ y: Int, _ z: Int) -> Int {
    y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z
}
print(tak(26, 18, 9))
