#ifndef KDK_CSV_ROW_H
#define KDK_CSV_ROW_H
#include <stdint.h>
/// A cell of a plain CSV row: its bytes p[start..<end] (inside the quotes
/// when quoted), whether it was quoted, and whether it holds a doubled quote.
typedef struct {
    int64_t start, end;
    uint8_t quoted, doubled, unused[6];
} kdk_csv_cell;

/// Whether p[0..<n] is well-formed UTF-8 (1) or not (0).
int kdk_utf8_valid(const uint8_t *p, int64_t n);

/// Scans the row that starts at p[i] when it is plain: exactly `fields`
/// cells, each unquoted or quoted on one line (doubled quotes allowed), of
/// at most `max_field` bytes, all well-formed UTF-8, ended by LF or CRLF
/// before p[n]. Fills cells[0..<fields] and returns where the next row
/// starts; -1 for any other row (a field too long, a blank
/// line, a line break in quotes, a lone CR, a quote inside an unquoted cell,
/// text after a closing quote, too few or too many cells, bytes that end
/// first), which the caller then reads byte by byte.
int64_t kdk_csv_row(const uint8_t *p, int64_t n, int64_t i, int64_t fields, int64_t max_field, kdk_csv_cell *cells);
#endif
