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
#include "vector/tfidf_weighting.h"
#include "xxhash.h"

namespace storysift {
namespace {

constexpr char kMagic[8] = {'S', 'S', 'I', 'D', 'F', 0, 0, 0};
constexpr size_t kHeaderSize = 8 + 4 + 4 + 8 + 8;

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

absl::Status OsError(const std::string& what, const std::string& path) {
  const int e = errno;
  std::string msg = absl::StrCat(what, " ", path, ": ", std::strerror(e));
  if (e == ENOENT) return absl::NotFoundError(msg);
  if (e == EACCES || e == EPERM) return absl::PermissionDeniedError(msg);
  return absl::InternalError(msg);
}

}  // namespace

absl::StatusOr<IdfModel> IdfModel::FromTerms(uint64_t num_docs, std::vector<IdfTerm> terms) {
  std::sort(terms.begin(), terms.end(), [](const IdfTerm& a, const IdfTerm& b) {
    return a.term_hash < b.term_hash;
  });
  IdfModel m;
  m.num_docs_ = num_docs;
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

std::string IdfModel::Serialize() const {
  std::string payload;
  payload.reserve(16 + hashes_.size() * 16 + 8 + display_pool_.size());
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
  if (version != kIdfModelFormatVersion) {
    return absl::UnimplementedError(absl::StrFormat(
        "IDF model format_version %u; this build reads %u", version, kIdfModelFormatVersion));
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
  return m;
}

absl::Status IdfModel::Save(const std::string& path) const {
  const std::string bytes = Serialize();
  const std::string tmp = absl::StrCat(path, ".tmp.", getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return OsError("cannot create", tmp);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      absl::Status s = OsError("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    done += n;
  }
  // fsync before rename so a crash never leaves a renamed but empty file.
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    absl::Status s = OsError("cannot sync", tmp);
    ::unlink(tmp.c_str());
    return s;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    absl::Status s = OsError("cannot rename onto", path);
    ::unlink(tmp.c_str());
    return s;
  }
  return absl::OkStatus();
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
  absl::StatusOr<IdfModel> m = Parse(bytes);
  if (!m.ok()) {
    return absl::Status(m.status().code(), absl::StrCat(path, ": ", m.status().message()));
  }
  return m;
}

}  // namespace storysift
