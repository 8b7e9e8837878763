#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_csv (fuzz/corpus_csv/): CSV texts for the reader of
priorreg-fit, valid and malformed (see the grammar in tools/priorreg-fit/csv_table.hpp).

Deterministic: rerunning writes the same files.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus_csv")

SEEDS = {
    # Valid tables.
    "valid_simple": b"a,b,c\n1,2,3\n4,5,6\n",
    "valid_no_final_newline": b"x,y\n0.5,-1\n2,3e2",
    "valid_header_only": b"x,y,z\n",
    "valid_quoted_names": b'"a, b","say ""hi""", " c "\n"1.5", 2 ,"-3"\n',
    "valid_crlf": b"x1,x2,y\r\n0.5,1,2\r\n-1,3e2,4\r\n",
    "valid_cr_only": b"x,y\r1,2\r3,4\r",
    "valid_bom": b"\xef\xbb\xbfx,y\n1,2\n",
    "valid_blank_lines": b"\n \n\tx , y\n\n1,2\n  \t\n3,4\n\n\n",
    "valid_signs_exponents": b"a,b,c,d,e\n+1.5,-2e-3,.5,1E+2,-0\n1.,+.25,4.9406564584124654e-324,"
                             b"1.7976931348623157e308,0.1000000000000000055511151231257827\n",
    "valid_many_digits": b"v\n" + b"1" * 40 + b"." + b"9" * 60 + b"e-30\n",
    "valid_r_row_names": b'"","mpg","am"\n"Mazda RX4",21,"manual"\n"Valiant",18.1,"auto"\n',
    "valid_pandas_index": b",a,b\n0,1.5,x\n1,NA,y\n2,,z\n",
    "valid_semicolons": b"a;b;c\n1;NaN;red\n2;3;\"blue; dark\"\n",
    "valid_tabs": b"a\tb c\n 1\t 2 \nNULL\t#N/A\n",
    "valid_text_after_missing": b"g\n#N/A\nNaN\n1\nred\n\xff\xfe\n",
    # Malformed inputs.
    "empty": b"",
    "blank_only": b" \r\n\t\n\n",
    "bad_ragged_rows": b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n",
    "bad_numbers": b"a,b\n1,abc\n1.5x,2\n0x10,1\n--2,3\nnan,inf\n1,\"\"\n",
    "bad_huge_exponent": b"a,b\n1e999,2\n-1e400,1e-99999\n",
    "bad_header": b'a,,b,a\n"x\n"y" z,w\nq"r\n',
    "bad_unterminated_quote": b'a,b\n1,"2',
    "bad_duplicate_names": b"a,b,a\n1,2,3\n",
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as handle:
            handle.write(data)
    print(f"wrote {len(SEEDS)} seeds to {OUT}")


if __name__ == "__main__":
    main()
