#include "storysift/idf_model.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "ingest/byte_stream.h"
#include "io/output_file.h"
#include "storysift/job_options.h"
#include "storysift/status_macros.h"
#include "text/stemmer.h"
#include "text/token_hash.h"
#include "vector/tfidf_weighting.h"
#include "xxhash.h"

namespace storysift {
namespace {

constexpr char kMagic[8] = {'S', 'S', 'I', 'D', 'F', 0, 0, 0};
constexpr size_t kHeaderSize = 8 + 4 + 4 + 8 + 8;
// An option byte of a v2 payload that the model does not record.
constexpr uint8_t kNotRecorded = 255;

static_assert(std::endian::native == std::endian::little,
              "the IDF file format is little-endian; add byte swapping");

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(v));
}

// Bounds-checked little-endian reader over the payload.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T* v) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  size_t remaining() const { return bytes_.size() - pos_; }
  std::string_view Take(size_t n) {
    std::string_view s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

template <typename T>
uint8_t OptionByte(const std::optional<T>& v) {
  return v.has_value() ? static_cast<uint8_t>(*v) : kNotRecorded;
}

void PutTermOptions(const IdfTermOptions& o, std::string* out) {
  Put<uint8_t>(out, OptionByte(o.stem));
  Put<uint8_t>(out, OptionByte(o.markup));
  Put<uint8_t>(out, OptionByte(o.drop_boilerplate));
  Put<uint8_t>(out, 0);
  Put<uint64_t>(out, o.token_hash_seed);
  Put<uint64_t>(out, o.stop_words);
}

// The option byte `b` into *v: `limit` is its largest value. False for
// any other byte than those and kNotRecorded.
template <typename T>
bool GetOption(uint8_t b, uint8_t limit, std::optional<T>* v) {
  if (b == kNotRecorded) return true;
  if (b > limit) return false;
  *v = static_cast<T>(b);
  return true;
}

absl::StatusOr<IdfTermOptions> GetTermOptions(Cursor* c) {
  uint8_t stem = 0, markup = 0, boilerplate = 0, reserved = 0;
  IdfTermOptions o;
  o.stem.reset();
  o.markup.reset();
  o.drop_boilerplate.reset();
  if (!c->Get(&stem) || !c->Get(&markup) || !c->Get(&boilerplate) || !c->Get(&reserved) ||
      !c->Get(&o.token_hash_seed) || !c->Get(&o.stop_words)) {
    return absl::DataLossError("IDF model payload too short for its term options");
  }
  if (!GetOption(stem, 1, &o.stem) || !GetOption(markup, 2, &o.markup) ||
      !GetOption(boilerplate, 1, &o.drop_boilerplate) || reserved != 0) {
    return absl::DataLossError("IDF model term options hold an unknown value");
  }
  return o;
}

std::string OnOff(bool v) { return v ? "on" : "off"; }

std::string MarkupName(MarkupMode m) {
  for (const auto& [name, mode] : MarkupModeNames()) {
    if (mode == m) return name;
  }
  return absl::StrCat(static_cast<int>(m));
}

absl::Status OsError(const std::string& what, const std::string& path) {
  const int e = errno;
  std::string msg = absl::StrCat(what, " ", path, ": ", std::strerror(e));
  if (e == ENOENT) return absl::NotFoundError(msg);
  if (e == EACCES || e == EPERM) return absl::PermissionDeniedError(msg);
  return absl::InternalError(msg);
}

// What a v1 model's terms tell of stemming (idf_model.h): on when a term's
// hash is not the token hash of its display form (the folded word it was
// first seen as: with stemming the stem's hash), off when a word that
// stemming changes kept its own hash, nullopt when no term shows either.
// Numbers are never stemmed and tell nothing. Stops at the first sign: a
// stemmed corpus shows one within a few terms, an unstemmed one at its
// first plural.
std::optional<bool> StemOfTerms(const IdfModel& m) {
  const bool can_stem = internal::StemmerAvailable();
  for (size_t i = 0; i < m.num_terms(); ++i) {
    const IdfTerm t = m.term(i);
    if (t.display.empty() || (t.display[0] >= '0' && t.display[0] <= '9')) continue;
    const uint64_t own = internal::TokenHash(t.display.data(), t.display.size());
    if (t.term_hash != own) return true;
    if (can_stem && internal::StemHash(t.display, own) != own) return false;
  }
  return std::nullopt;
}

}  // namespace

IdfTermOptions IdfTermOptions::Of(const NormalizeOptions& normalize) {
  IdfTermOptions o;
  o.stem = normalize.stem;
  o.markup = normalize.markup;
  o.drop_boilerplate = normalize.drop_boilerplate;
  return o;
}

absl::StatusOr<IdfModel> IdfModel::FromTerms(uint64_t num_docs, std::vector<IdfTerm> terms,
                                             const NormalizeOptions& made_with) {
  std::sort(terms.begin(), terms.end(), [](const IdfTerm& a, const IdfTerm& b) {
    return a.term_hash < b.term_hash;
  });
  IdfModel m;
  m.num_docs_ = num_docs;
  m.term_options_ = IdfTermOptions::Of(made_with);
  m.hashes_.reserve(terms.size());
  m.df_.reserve(terms.size());
  m.display_end_.reserve(terms.size());
  for (size_t i = 0; i < terms.size(); ++i) {
    const IdfTerm& t = terms[i];
    if (i > 0 && t.term_hash == terms[i - 1].term_hash) {
      return absl::InvalidArgumentError(
          absl::StrFormat("term %016x appears twice", t.term_hash));
    }
    if (t.df == 0 || t.df > num_docs) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "term %016x has df %u, outside 1..num_docs=%u", t.term_hash, t.df, num_docs));
    }
    if (m.display_pool_.size() + t.display.size() > UINT32_MAX) {
      return absl::InvalidArgumentError("display strings exceed 4 GiB");
    }
    m.hashes_.push_back(t.term_hash);
    m.df_.push_back(t.df);
    m.display_pool_.append(t.display);
    m.display_end_.push_back(m.display_pool_.size());
  }
  return m;
}

uint32_t IdfModel::df(uint64_t term_hash) const {
  auto it = std::lower_bound(hashes_.begin(), hashes_.end(), term_hash);
  if (it == hashes_.end() || *it != term_hash) return 0;
  return df_[it - hashes_.begin()];
}

double IdfModel::idf(uint64_t term_hash) const {
  return internal::SmoothedIdf(static_cast<double>(num_docs_), df(term_hash));
}

std::string_view IdfModel::display(uint64_t term_hash) const {
  auto it = std::lower_bound(hashes_.begin(), hashes_.end(), term_hash);
  if (it == hashes_.end() || *it != term_hash) return {};
  const size_t i = it - hashes_.begin();
  const uint32_t begin = i == 0 ? 0 : display_end_[i - 1];
  return std::string_view(display_pool_).substr(begin, display_end_[i] - begin);
}

IdfTerm IdfModel::term(size_t i) const {
  const uint32_t begin = i == 0 ? 0 : display_end_[i - 1];
  return {hashes_[i], df_[i], display_pool_.substr(begin, display_end_[i] - begin)};
}

absl::Status IdfModel::CheckTermOptions(const NormalizeOptions& run) const {
  const IdfTermOptions& m = term_options_;
  std::vector<std::string> differences;
  if (m.stem.has_value() && *m.stem != run.stem) {
    differences.push_back(absl::StrCat("stem: model ", OnOff(*m.stem),
                                       stem_inferred_ ? " (read off its terms)" : "", ", run ",
                                       OnOff(run.stem)));
  }
  if (m.markup.has_value() && *m.markup != run.markup) {
    differences.push_back(absl::StrCat("markup: model ", MarkupName(*m.markup), ", run ",
                                       MarkupName(run.markup)));
  }
  if (m.drop_boilerplate.has_value() && *m.drop_boilerplate != run.drop_boilerplate) {
    differences.push_back(absl::StrCat("drop_boilerplate: model ", OnOff(*m.drop_boilerplate),
                                       ", run ", OnOff(run.drop_boilerplate)));
  }
  if (m.token_hash_seed != kTokenHashSeed) {
    differences.push_back(absl::StrFormat("token hash seed: model %#x, this build %#x",
                                          m.token_hash_seed, kTokenHashSeed));
  }
  if (m.stop_words != Normalizer::StopWordListFingerprint()) {
    differences.push_back(absl::StrFormat("stop-word list: model %016x, this build %016x",
                                          m.stop_words, Normalizer::StopWordListFingerprint()));
  }
  if (differences.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "the IDF model's terms were made with other options than this run's, so its document "
      "frequencies would not match the run's terms: ",
      absl::StrJoin(differences, "; ")));
}

std::vector<std::string> IdfModel::UnrecordedTermOptions() const {
  std::vector<std::string> names;
  if (!term_options_.markup.has_value()) names.push_back("markup");
  if (!term_options_.drop_boilerplate.has_value()) names.push_back("drop_boilerplate");
  if (!term_options_.stem.has_value()) names.push_back("stem");
  return names;
}

std::string IdfModel::Serialize() const {
  std::string payload;
  payload.reserve(20 + 16 + hashes_.size() * 16 + 8 + display_pool_.size());
  PutTermOptions(term_options_, &payload);
  Put<uint64_t>(&payload, num_docs_);
  Put<uint64_t>(&payload, hashes_.size());
  for (size_t i = 0; i < hashes_.size(); ++i) {
    Put<uint64_t>(&payload, hashes_[i]);
    Put<uint32_t>(&payload, df_[i]);
  }
  for (uint32_t end : display_end_) Put<uint32_t>(&payload, end);
  Put<uint64_t>(&payload, display_pool_.size());
  payload.append(display_pool_);

  std::string out(kMagic, sizeof(kMagic));
  Put<uint32_t>(&out, kIdfModelFormatVersion);
  Put<uint32_t>(&out, 0);
  Put<uint64_t>(&out, payload.size());
  Put<uint64_t>(&out, XXH3_64bits(payload.data(), payload.size()));
  out.append(payload);
  return out;
}

absl::StatusOr<IdfModel> IdfModel::Parse(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    return absl::DataLossError("not an IDF model file (bad magic or shorter than header)");
  }
  Cursor header(bytes.substr(8, kHeaderSize - 8));
  uint32_t version = 0, reserved = 0;
  uint64_t payload_size = 0, checksum = 0;
  (void)(header.Get(&version) && header.Get(&reserved) && header.Get(&payload_size) &&
         header.Get(&checksum));
  if (version != 1 && version != kIdfModelFormatVersion) {
    return absl::UnimplementedError(absl::StrFormat(
        "IDF model format_version %u; this build reads 1 to %u", version,
        kIdfModelFormatVersion));
  }
  if (reserved != 0) return absl::DataLossError("IDF model reserved header field is not 0");
  const std::string_view payload = bytes.substr(kHeaderSize);
  if (payload.size() != payload_size) {
    return absl::DataLossError(absl::StrFormat(
        "IDF model payload is %u bytes, header says %u (truncated?)", payload.size(),
        payload_size));
  }
  if (XXH3_64bits(payload.data(), payload.size()) != checksum) {
    return absl::DataLossError("IDF model checksum mismatch");
  }
  Cursor c(payload);
  IdfModel m;
  m.format_version_ = version;
  if (version >= 2) {
    STORYSIFT_ASSIGN_OR_RETURN(m.term_options_, GetTermOptions(&c));
  }
  uint64_t num_terms = 0;
  if (!c.Get(&m.num_docs_) || !c.Get(&num_terms)) {
    return absl::DataLossError("IDF model payload too short for counts");
  }
  // Each term needs 8 + 4 + 4 bytes: check before allocating.
  if (num_terms > c.remaining() / 16) {
    return absl::DataLossError(absl::StrFormat(
        "IDF model claims %u terms but holds only %u bytes", num_terms, c.remaining()));
  }
  m.hashes_.resize(num_terms);
  m.df_.resize(num_terms);
  m.display_end_.resize(num_terms);
  for (uint64_t i = 0; i < num_terms; ++i) {
    (void)(c.Get(&m.hashes_[i]) && c.Get(&m.df_[i]));
    if (i > 0 && m.hashes_[i] <= m.hashes_[i - 1]) {
      return absl::DataLossError("IDF model term hashes not strictly increasing");
    }
    if (m.df_[i] == 0 || m.df_[i] > m.num_docs_) {
      return absl::DataLossError("IDF model df outside 1..num_docs");
    }
  }
  for (uint64_t i = 0; i < num_terms; ++i) {
    (void)c.Get(&m.display_end_[i]);
    if (i > 0 && m.display_end_[i] < m.display_end_[i - 1]) {
      return absl::DataLossError("IDF model display offsets decrease");
    }
  }
  uint64_t display_bytes = 0;
  if (!c.Get(&display_bytes) || display_bytes != c.remaining() ||
      (num_terms > 0 && m.display_end_.back() != display_bytes) ||
      (num_terms == 0 && display_bytes != 0)) {
    return absl::DataLossError("IDF model display strings inconsistent with offsets");
  }
  m.display_pool_.assign(c.Take(display_bytes));
  if (version == 1) {  // What a v1 file can tell (idf_model.h).
    m.term_options_.markup.reset();
    m.term_options_.drop_boilerplate.reset();
    m.term_options_.stem = StemOfTerms(m);
    m.stem_inferred_ = m.term_options_.stem.has_value();
  }
  return m;
}

absl::Status IdfModel::Save(const std::string& path) const {
  // As every output: a temp file beside the target, fsync'ed and renamed
  // (a symlink's target replaced, the replaced file's mode kept).
  return WriteFileAtomically(path, Serialize());
}

absl::StatusOr<IdfModel> IdfModel::Load(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OsError("cannot open", path);
  std::string bytes;
  char buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status s = OsError("cannot read", path);
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    bytes.append(buf, n);
  }
  ::close(fd);
  // Saved as `model.bin.gz` (or .zst, .xz), it was compressed so.
  STORYSIFT_ASSIGN_OR_RETURN(bytes, internal::DecompressWholeFile(std::move(bytes), path));
  absl::StatusOr<IdfModel> m = Parse(bytes);
  if (!m.ok()) {
    return absl::Status(m.status().code(), absl::StrCat(path, ": ", m.status().message()));
  }
  return m;
}

}  // namespace storysift
