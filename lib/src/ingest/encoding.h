// Text that is not UTF-8: conversion through iconv (glibc) from Windows-1252
// (the usual encoding of news text that is not UTF-8) or from the charset an
// HTML page declares. Thread-safe (pure functions).
#ifndef STORYSIFT_INGEST_ENCODING_H_
#define STORYSIFT_INGEST_ENCODING_H_

#include <optional>
#include <string>
#include <string_view>

namespace storysift::internal {

// What MakeUtf8 did to a string.
struct Utf8Fix {
  bool transcoded = false;  // Some bytes were read as Windows-1252.
  bool replaced = false;    // Some bytes became U+FFFD.
  // NUL bytes were dropped: valid UTF-8 (JSON's "\u0000"), but no text.
  bool nul_removed = false;
};

// Makes *s valid UTF-8 without NUL bytes: valid UTF-8 sequences stay as
// they are, NULs are dropped, and each run of bytes that is not UTF-8 is
// converted from Windows-1252 ("\xA3" -> "£"), so "£100 café" in
// Windows-1252 survives. The five bytes Windows-1252 leaves undefined
// become U+FFFD.
Utf8Fix MakeUtf8(std::string* s);

// Converts `in` from `charset` (any name iconv knows, e.g. "ISO-8859-1",
// "windows-1251", "Shift_JIS") to UTF-8 into *out. False (and *out
// unspecified) for an unknown charset or bytes invalid in it.
bool ConvertToUtf8(std::string_view in, const std::string& charset,
                   std::string* out);

// The charset an HTML document declares in its first 4 KiB: <meta
// charset="..."> or <meta http-equiv="Content-Type" content="text/html;
// charset=...">, lowercased; nullopt when there is none.
std::optional<std::string> DeclaredHtmlCharset(std::string_view html);

// If *html is not valid UTF-8 and declares a charset other than UTF-8 that
// iconv converts it from, replaces it by the conversion and returns true.
// Otherwise leaves it (MakeUtf8 is then the fallback: a page that is not in
// the charset it declares is common).
bool ConvertFromDeclaredCharset(std::string* html);

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_ENCODING_H_
