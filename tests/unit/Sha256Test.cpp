#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/Sha256.h"

#include <gtest/gtest.h>

using strata::Sha256;

TEST(Sha256, KnownVectors)
{
    EXPECT_EQ(Sha256::ofBytes({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    Sha256 abc;
    abc.update(std::string("abc"));
    EXPECT_EQ(abc.hexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Sha256 two;
    two.update(std::string("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    EXPECT_EQ(two.hexDigest(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalEqualsOneShotAcrossBlockBoundaries)
{
    std::string text(1000, '\0');
    for (std::size_t i = 0; i < text.size(); ++i) {
        text[i] = static_cast<char>(i * 31 + 7);
    }
    const std::string once = Sha256::ofBytes(std::as_bytes(std::span(text.data(), text.size())));
    for (std::size_t chunk : {1u, 63u, 64u, 65u, 333u}) {
        Sha256 h;
        for (std::size_t i = 0; i < text.size(); i += chunk) {
            h.update(text.substr(i, chunk));
        }
        EXPECT_EQ(h.hexDigest(), once) << chunk;
    }
}

TEST(Sha256, FilesAndDirectories)
{
    strata::test::TempDir dir;
    strata::test::writeText(dir / "a.txt", "abc");
    EXPECT_EQ(Sha256::ofPath(dir / "a.txt"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string d1 = Sha256::ofPath(dir.path());
    strata::test::writeText(dir / "b.txt", "x");
    EXPECT_NE(Sha256::ofPath(dir.path()), d1);
    EXPECT_THROW((void)Sha256::ofPath(dir / "missing"), strata::IoError);
}
