#pragma once
// PostgreSQL reports error positions in characters; cairn indexes text in bytes.
#include <cstddef>
#include <string>

namespace cairn {

// The byte offset of the 1-based character `position` in UTF-8 text (the
// text's size when the position lies beyond it).
inline std::size_t byte_offset_of_character(const std::string& text, int position) {
  std::size_t byte = 0;
  for (int chars = 1; chars < position && byte < text.size(); ++chars) {
    ++byte;
    while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80) ++byte;
  }
  return byte;
}

}  // namespace cairn
