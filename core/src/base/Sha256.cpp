#include "strata/Sha256.h"

#include "strata/Error.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <vector>

namespace strata {

namespace {

constexpr std::array<std::uint32_t, 64> kRound{
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
    0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
    0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
    0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

} // namespace

Sha256::Sha256()
    : state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
{
}

void Sha256::compress(const std::uint8_t* block)
{
    std::array<std::uint32_t, 64> w{};
    for (int i = 0; i < 16; ++i) {
        w[i] = (std::uint32_t{block[4 * i]} << 24) | (std::uint32_t{block[4 * i + 1]} << 16) |
               (std::uint32_t{block[4 * i + 2]} << 8) | std::uint32_t{block[4 * i + 3]};
    }
    for (int i = 16; i < 64; ++i) {
        const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto [a, b, c, d, e, f, g, h] = state_;
    for (int i = 0; i < 64; ++i) {
        const std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        const std::uint32_t ch = (e & f) ^ (~e & g);
        const std::uint32_t t1 = h + s1 + ch + kRound[i] + w[i];
        const std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        const std::uint32_t t2 = s0 + maj;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    const std::array<std::uint32_t, 8> add{a, b, c, d, e, f, g, h};
    for (int i = 0; i < 8; ++i) {
        state_[i] += add[i];
    }
}

void Sha256::update(std::span<const std::byte> data)
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());
    std::size_t n = data.size();
    totalLen_ += n;
    if (bufferLen_ > 0) {
        const std::size_t take = std::min(n, 64 - bufferLen_);
        std::memcpy(buffer_.data() + bufferLen_, p, take);
        bufferLen_ += take;
        p += take;
        n -= take;
        if (bufferLen_ == 64) {
            compress(buffer_.data());
            bufferLen_ = 0;
        }
    }
    while (n >= 64) {
        compress(p);
        p += 64;
        n -= 64;
    }
    if (n > 0) {
        std::memcpy(buffer_.data(), p, n);
        bufferLen_ = n;
    }
}

void Sha256::update(const std::string& text)
{
    update(std::as_bytes(std::span(text.data(), text.size())));
}

std::string Sha256::hexDigest()
{
    const std::uint64_t bits = totalLen_ * 8;
    std::array<std::uint8_t, 72> pad{};
    pad[0] = 0x80;
    const std::size_t padLen = (bufferLen_ < 56) ? 56 - bufferLen_ : 120 - bufferLen_;
    for (int i = 0; i < 8; ++i) {
        pad[padLen + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    }
    update(std::as_bytes(std::span(pad.data(), padLen + 8)));
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::uint32_t v : state_) {
        for (int s = 28; s >= 0; s -= 4) {
            out += kHex[(v >> s) & 0xf];
        }
    }
    return out;
}

std::string Sha256::ofBytes(std::span<const std::byte> data)
{
    Sha256 h;
    h.update(data);
    return h.hexDigest();
}

namespace {

void hashFile(Sha256& h, const std::filesystem::path& path)
{
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        throw IoError("Cannot read '" + path.string() + "' to hash it.");
    }
    std::vector<char> buf(1 << 20);
    while (f) {
        f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto got = static_cast<std::size_t>(f.gcount());
        h.update(std::as_bytes(std::span(buf.data(), got)));
    }
}

} // namespace

std::string Sha256::ofPath(const std::filesystem::path& path)
{
    Sha256 h;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::recursive_directory_iterator(path)) {
            if (e.is_regular_file()) {
                files.push_back(e.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            h.update(std::filesystem::relative(f, path).generic_string());
            hashFile(h, f);
        }
    } else {
        hashFile(h, path);
    }
    return h.hexDigest();
}

} // namespace strata
