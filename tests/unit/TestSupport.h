#pragma once

#include "strata/Image.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <string>

namespace strata::test {

/// A fresh directory under the system temp dir, removed when the test ends.
class TempDir {
public:
    TempDir()
    {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string("strata-") + (info ? info->test_suite_name() + std::string("-") + info->name() : "t");
        path_ = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

/// Sets (or with nullptr unsets) an environment variable for one scope, e.g. STRATA_MEDIA_DECODE.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name)
    {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~ScopedEnv()
    {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

inline std::filesystem::path testDataDir()
{
    return STRATA_TEST_DATA_DIR;
}

inline void writeText(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream f(path, std::ios::binary);
    f << text;
}

inline std::string readText(const std::filesystem::path& path)
{
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

inline void truncateFile(const std::filesystem::path& path, double keepFraction)
{
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, static_cast<std::uintmax_t>(static_cast<double>(size) * keepFraction));
}

/// Runs a command, returns {exit code, stdout+stderr}.
inline std::pair<int, std::string> run(const std::string& command)
{
    std::string output;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) {
        return {-1, "popen failed"};
    }
    char buf[4096];
    while (std::fgets(buf, sizeof buf, pipe)) {
        output += buf;
    }
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

/// A small test image with a ramp pattern and the given geometry.
template <typename T> Image rampImage(Size3 size, Vec3 spacing, Vec3 origin, Mat3 direction, int components = 1)
{
    Image img(size, PixelTypeOf<T>::value, components);
    img.setSpacing(spacing);
    img.setOrigin(origin);
    img.setDirection(direction);
    auto px = img.pixels<T>();
    for (std::size_t i = 0; i < px.size(); ++i) {
        px[i] = static_cast<T>((i * 7) % 251);
    }
    return img;
}

/// The same world content stored with index axis a = `image`'s axis perm[a], reversed where flip[a] (direction
/// columns permuted and negated, origin moved): another storage order of one scan, voxel for voxel.
Image storedAs(const Image& image, const std::array<int, 3>& perm, const std::array<bool, 3>& flip);

/// With STRATA_FUZZ_SEEDS=DIR set, keeps a copy of `file` as DIR/<target>/<name>: seeds for fuzz/fuzz_<target>.cpp,
/// made by the tests that write such files (copy them into fuzz/corpus/<target>/).
void keepFuzzSeed(const std::filesystem::path& file, const std::string& target, const std::string& name);

/// The IoError message readImage(path) throws; "(read without an error)" when it reads.
std::string readImageError(const std::filesystem::path& path);

/// A rotation of `radians` about the axis (1,1,1)/sqrt(3): a truly oblique direction matrix.
Mat3 obliqueDirection(double radians);

/// 96 x 96 x 48 voxels of deterministic uint16 noise at the knee model's spacing (0.4 x 0.4 x 0.7 mm): no knee in it.
inline Image noiseVolume()
{
    Image noise({96, 96, 48}, PixelType::UInt16);
    noise.setSpacing({0.4, 0.4, 0.7});
    auto px = noise.pixels<std::uint16_t>();
    for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<std::uint16_t>((i * 2654435761u) % 1000);
    return noise;
}

} // namespace strata::test
