// OCR engine: character error rate on pages rendered with exact ground truth (text2image, several fonts),
// clean and degraded (noise, blur, small rotation); deskew; word boxes; bad pages; cancel.
#include "OcrTestPages.h"
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageSource.h"
#include "strata/ocr/CharacterErrorRate.h"
#include "strata/ocr/DocumentCleanup.h"
#include "strata/ocr/OcrBatch.h"
#include "strata/ocr/OcrEngine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

using namespace strata;
using namespace strata::ocr;

namespace {

Image readPage(const std::filesystem::path& p)
{
    return ImageSource::read({p, 0, 1}, 100'000'000);
}

const OcrWord* findWord(const OcrPage& page, const std::string& text)
{
    for (const auto& l : page.lines) {
        for (const auto& w : l.words) {
            if (w.text == text) {
                return &w;
            }
        }
    }
    return nullptr;
}

} // namespace

TEST(CharacterErrorRate, CountsEditsOverTruthLength)
{
    EXPECT_DOUBLE_EQ(characterErrorRate("hello world", "hello world"), 0.0);
    EXPECT_DOUBLE_EQ(characterErrorRate("hello world", "  hello\n\nworld \n"), 0.0); // layout is not an error
    EXPECT_DOUBLE_EQ(characterErrorRate("abcd", "abxd"), 0.25);                     // substitution
    EXPECT_DOUBLE_EQ(characterErrorRate("abcd", "abd"), 0.25);                      // deletion
    EXPECT_DOUBLE_EQ(characterErrorRate("abcd", "abcde"), 0.25);                    // insertion
    EXPECT_DOUBLE_EQ(characterErrorRate("", ""), 0.0);
    EXPECT_DOUBLE_EQ(characterErrorRate("", "x"), 1.0);
    EXPECT_DOUBLE_EQ(characterErrorRate("Grüße", "Grusse"), 0.6); // code points, not bytes: 2 substitutions + 1 insertion
}

TEST(OcrEngine, CleanAndDegradedPagesInThreeFontsHaveLowCharacterErrorRate)
{
    test::TempDir dir;
    const std::vector<std::string> fonts{"DejaVu Serif", "Liberation Sans", "DejaVu Sans Mono"};
    std::vector<ImageRef> pages;
    std::vector<std::string> truths;
    for (int i = 0; i < 3; ++i) {
        const auto base = dir / ("page" + std::to_string(i));
        if (!test::renderTextPage(test::sampleText(i), fonts[i], base)) {
            GTEST_SKIP() << "text2image (Debian package tesseract-ocr) is not installed";
        }
        pages.push_back({base.string() + ".tif", 0, 1});
        truths.push_back(test::sampleText(i));
        // Same text, degraded: Gaussian noise sigma 40 grey levels, blur sigma 1.1 px, rotated 3 degrees.
        const auto degraded = dir / ("page" + std::to_string(i) + "-degraded.png");
        test::degradePage(base.string() + ".tif", degraded, 40.0, 1.1, i % 2 ? 3.0 : -3.0, 7 + i);
        pages.push_back({degraded, 0, 1});
        truths.push_back(test::sampleText(i));
    }
    OcrBatch batch(OcrOptions{}, 0);
    const auto results = batch.run(pages, {}, {});
    double clean = 0, degraded = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        ASSERT_TRUE(results[i].error.empty()) << results[i].error;
        const double cer = characterErrorRate(truths[i], results[i].text);
        RecordProperty("cer_" + std::to_string(i), std::to_string(cer));
        std::cout << "[ CER      ] " << pages[i].name() << " (" << fonts[i / 2] << "): " << cer << "\n";
        (i % 2 ? degraded : clean) += cer / 3.0;
    }
    std::cout << "[ CER      ] mean clean " << clean << ", degraded " << degraded << "\n";
    EXPECT_LT(clean, 0.02);
    EXPECT_LT(degraded, 0.06);
}

TEST(OcrEngine, DeskewFindsTheRotationAndBoxesReferToThePageAsGiven)
{
    test::TempDir dir;
    if (!test::renderTextPage(test::sampleText(0), "DejaVu Serif", dir / "p")) {
        GTEST_SKIP() << "text2image (Debian package tesseract-ocr) is not installed";
    }
    test::degradePage(dir / "p.tif", dir / "rot.png", 0.0, 0.0, 4.0, 1);
    const Image straight = readPage(dir / "p.tif");
    const Image turned = readPage(dir / "rot.png");
    EXPECT_NEAR(estimateSkewDegrees(straight), 0.0, 0.3);
    EXPECT_NEAR(estimateSkewDegrees(turned), 4.0, 0.3);

    OcrEngine engine(OcrOptions{});
    const auto a = engine.recognise(straight);
    const auto b = engine.recognise(turned); // the same engine, reused
    EXPECT_NEAR(b.deskewDegrees, -4.0, 0.3);
    EXPECT_LT(characterErrorRate(test::sampleText(0), b.text), 0.03) << b.text;
    const OcrWord* wa = findWord(a, "Invoice");
    const OcrWord* wb = findWord(b, "Invoice");
    ASSERT_TRUE(wa && wb);
    EXPECT_GT(wa->confidence, 80.0f);
    // The word's centre on the rotated page is where the rotation moved it from the straight page.
    const double cx = 0.5 * (straight.size()[0] - 1), cy = 0.5 * (straight.size()[1] - 1);
    const double ax = wa->box.x + 0.5 * wa->box.width - cx, ay = wa->box.y + 0.5 * wa->box.height - cy;
    const double t = 4.0 * M_PI / 180.0;
    const double ex = std::cos(t) * ax + std::sin(t) * ay + cx, ey = -std::sin(t) * ax + std::cos(t) * ay + cy;
    EXPECT_NEAR(wb->box.x + 0.5 * wb->box.width, ex, 6.0);
    EXPECT_NEAR(wb->box.y + 0.5 * wb->box.height, ey, 6.0);
}

TEST(OcrEngine, TextOnABigBlankPageIsFoundWhereItIs)
{
    // The engine gives Tesseract only the part of the page with ink: the same text in the middle of a page
    // three times as large must read the same, with every box moved by exactly where the text was put.
    test::TempDir dir;
    if (!test::renderTextPage(test::sampleText(2), "Liberation Sans", dir / "p")) {
        GTEST_SKIP() << "text2image (Debian package tesseract-ocr) is not installed";
    }
    const Image tight = readPage(dir / "p.tif");
    const std::size_t w = tight.size()[0], h = tight.size()[1], dx = 1100, dy = 1500;
    Image big({3 * w, 5 * h, 1}, PixelType::UInt8);
    auto px = big.pixels<std::uint8_t>();
    std::fill(px.begin(), px.end(), std::uint8_t{255});
    const auto src = tight.pixels<std::uint8_t>();
    for (std::size_t y = 0; y < h; ++y) {
        std::copy_n(src.begin() + static_cast<std::ptrdiff_t>(y * w), w, px.begin() + static_cast<std::ptrdiff_t>((y + dy) * 3 * w + dx));
    }
    OcrEngine engine(OcrOptions{});
    const auto a = engine.recognise(tight);
    const auto b = engine.recognise(big);
    EXPECT_EQ(b.width, static_cast<int>(3 * w));
    EXPECT_LT(characterErrorRate(test::sampleText(2), b.text), 0.02) << b.text;
    EXPECT_EQ(a.text, b.text);
    ASSERT_EQ(a.wordCount(), b.wordCount());
    ASSERT_GT(a.wordCount(), 20u);
    for (std::size_t l = 0; l < a.lines.size(); ++l) {
        for (std::size_t i = 0; i < a.lines[l].words.size(); ++i) {
            const auto& wa = a.lines[l].words[i].box;
            const auto& wb = b.lines[l].words[i].box;
            EXPECT_NEAR(wb.x, wa.x + static_cast<int>(dx), 1) << a.lines[l].words[i].text;
            EXPECT_NEAR(wb.y, wa.y + static_cast<int>(dy), 1) << a.lines[l].words[i].text;
            EXPECT_NEAR(wb.width, wa.width, 2);
            EXPECT_NEAR(wb.height, wa.height, 2);
        }
    }
}

TEST(OcrEngine, BinarisationOptionsWorkAndUnknownOnesAreRefused)
{
    test::TempDir dir;
    if (!test::renderTextPage(test::sampleText(1), "Liberation Sans", dir / "p")) {
        GTEST_SKIP() << "text2image (Debian package tesseract-ocr) is not installed";
    }
    const Image page = readPage(dir / "p.tif");
    for (const std::string method : {"otsu", "adaptive"}) {
        OcrOptions o;
        o.binarise = method;
        OcrEngine engine(o);
        EXPECT_LT(characterErrorRate(test::sampleText(1), engine.recognise(page).text), 0.03) << method;
    }
    EXPECT_THROW((void)cleanUpDocument(page, true, "magic"), InvalidArgument);
}

TEST(OcrEngine, BadPagesAndOptionsGiveClearErrors)
{
    OcrEngine engine(OcrOptions{});
    EXPECT_THROW((void)engine.recognise(Image{}), InvalidArgument);
    EXPECT_THROW((void)engine.recognise(Image({8, 8, 3}, PixelType::UInt8)), InvalidArgument);
    OcrOptions badPsm;
    badPsm.pageSegMode = 2;
    EXPECT_THROW(OcrEngine{badPsm}, InvalidArgument);
    OcrOptions badLanguage;
    badLanguage.language = "xqz";
    try {
        OcrEngine e(badLanguage);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("xqz"), std::string::npos) << e.what();
    }
}

TEST(OcrEngine, ABlankPageGivesNoWords)
{
    Image blank({400, 300, 1}, PixelType::UInt8);
    for (auto& v : blank.pixels<std::uint8_t>()) {
        v = 255;
    }
    OcrEngine engine(OcrOptions{});
    const auto page = engine.recognise(blank);
    EXPECT_EQ(page.wordCount(), 0u);
    EXPECT_TRUE(page.text.empty());
}

TEST(OcrEngine, CancelStopsAPageInProgress)
{
    test::TempDir dir;
    std::string text;
    for (int i = 0; i < 12; ++i) {
        text += test::sampleText(i);
    }
    if (!test::renderTextPage(text, "DejaVu Serif", dir / "long", 1800, 2600)) {
        GTEST_SKIP() << "text2image (Debian package tesseract-ocr) is not installed";
    }
    const Image page = readPage(dir / "long.tif");
    OcrEngine engine(OcrOptions{});
    std::stop_source stop;
    std::atomic<std::chrono::steady_clock::time_point::rep> requestedAt{0};
    std::jthread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        requestedAt = std::chrono::steady_clock::now().time_since_epoch().count();
        stop.request_stop();
    });
    EXPECT_THROW((void)engine.recognise(page, stop.get_token()), Cancelled);
    const auto requested = std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(requestedAt.load()));
    // Within the 2 s the pipelines promise (also on a loaded machine): only layout analysis is uninterruptible.
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - requested).count(), 2.0);
    // The engine is still usable afterwards.
    ASSERT_TRUE(test::renderTextPage(test::sampleText(0), "DejaVu Serif", dir / "short"));
    EXPECT_LT(characterErrorRate(test::sampleText(0), engine.recognise(readPage(dir / "short.tif")).text), 0.03);
}
