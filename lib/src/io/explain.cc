#include "storysift/explain.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace storysift {

std::vector<SharedPassage> LongestSharedPassages(const NormalizedText& a,
                                                 const NormalizedText& b, int max_passages,
                                                 int min_tokens) {
  std::vector<SharedPassage> runs;
  const size_t na = a.tokens.size(), nb = b.tokens.size();
  const size_t k = static_cast<size_t>(std::max(min_tokens, 1));
  if (na < k || nb < k || max_passages <= 0) return runs;
  // Anchor runs on the first position in b of each k-token window: a shared
  // run of >= k tokens must contain a shared window.
  auto window_key = [k](const NormalizedText& t, size_t i) {
    uint64_t h = 0;
    for (size_t j = 0; j < k; ++j) h = (h ^ t.tokens[i + j].hash) * 0x9E3779B97F4A7C15ull;
    return h;
  };
  absl::flat_hash_map<uint64_t, uint32_t> first_in_b;
  for (size_t i = 0; i + k <= nb; ++i) first_in_b.try_emplace(window_key(b, i), i);
  size_t i = 0;
  while (i + k <= na) {
    auto it = first_in_b.find(window_key(a, i));
    if (it == first_in_b.end()) {
      ++i;
      continue;
    }
    size_t j = it->second, len = 0;
    while (i + len < na && j + len < nb && a.tokens[i + len].hash == b.tokens[j + len].hash) ++len;
    if (len >= k) {
      runs.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j),
                      static_cast<uint32_t>(len)});
      i += len;
    } else {
      ++i;  // Window-hash collision.
    }
  }
  std::stable_sort(runs.begin(), runs.end(), [](const SharedPassage& x, const SharedPassage& y) {
    return x.num_tokens > y.num_tokens;
  });
  if (runs.size() > static_cast<size_t>(max_passages)) runs.resize(max_passages);
  return runs;
}

std::string_view PassageText(const NormalizedText& text, uint32_t first, uint32_t count) {
  if (count == 0 || first + count > text.tokens.size()) return {};
  const Token& begin = text.tokens[first];
  const Token& last = text.tokens[first + count - 1];
  return std::string_view(text.clean).substr(begin.begin, last.begin + last.length - begin.begin);
}

}  // namespace storysift
