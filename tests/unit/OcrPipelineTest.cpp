// The "ocr" pipeline end to end: folder and multi-page TIFF input, the bundle's files, bad inputs, cancel, CLI.
#include "OcrTestPages.h"
#include "PipelineRun.h"
#include "TestSupport.h"
#include "strata/ImageIO.h"
#include "strata/StandardPipelines.h"
#include "strata/Error.h"
#include "strata/ocr/CharacterErrorRate.h"
#include "strata/ocr/OcrPage.h"
#include "strata/pipeline/LocalExecutor.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include <chrono>
#include <fstream>

using namespace strata;
using namespace strata::pipeline;
using nlohmann::json;

namespace {

RunResult runOcr(const std::filesystem::path& input, const std::filesystem::path& out, json params = json::object(),
                 ProgressSink* sink = nullptr, std::stop_token stop = {})
{
    return test::runPipeline("ocr", "images", input, out, std::move(params), sink, stop, "auto");
}

std::string readAll(const std::filesystem::path& p)
{
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

/// A PNG whose header claims 60000 x 60000 pixels (and no pixel data): must be refused before decoding.
void writeHugePngHeader(const std::filesystem::path& p)
{
    const unsigned char header[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60, 8, 0, 0, 0, 0, 0, 0, 0, 0};
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(header), sizeof header);
}

} // namespace

TEST(OcrPipeline, IsListedWithItsParameters)
{
    const auto& m = standardPipelines().get("ocr").manifest();
    EXPECT_EQ(m.inputs.at(0).name, "images");
    EXPECT_EQ(m.stages.size(), 3u);
    EXPECT_NO_THROW(m.resolveParameters({{"psm", 6}, {"binarise", "adaptive"}, {"language", "eng"}}));
    EXPECT_THROW(m.resolveParameters({{"binarise", "magic"}}), InvalidArgument);
}

TEST(OcrPipeline, FolderAndMultiPageTiffGiveTextBoxesAndOverlays)
{
    test::TempDir dir;
    std::filesystem::create_directories(dir / "in");
    if (!test::renderTextPage(test::sampleText(0), "DejaVu Serif", dir / "a") ||
        !test::renderTextPage(test::sampleText(2), "Liberation Sans", dir / "b")) {
        GTEST_SKIP() << "text2image (Debian package tesseract-ocr) is not installed";
    }
    std::filesystem::copy_file(dir / "a.tif", dir / "in" / "01.tif");
    // A two-page TIFF: both pages in one file.
    std::vector<cv::Mat> pages{cv::imread((dir / "b.tif").string(), cv::IMREAD_GRAYSCALE),
                               cv::imread((dir / "a.tif").string(), cv::IMREAD_GRAYSCALE)};
    ASSERT_TRUE(cv::imwritemulti((dir / "in" / "02.tif").string(), pages));

    const auto r = runOcr(dir / "in", dir / "out", {{"workers", 2}});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    const auto out = dir / "out";
    const json doc = json::parse(std::ifstream(out / "ocr.json"));
    ASSERT_EQ(doc["pages"].size(), 3u);
    EXPECT_EQ(doc["pages"][0]["source"], "01.tif");
    EXPECT_EQ(doc["pages"][1]["source"], "02.tif#1");
    EXPECT_EQ(doc["pages"][2]["source"], "02.tif#2");
    EXPECT_LT(ocr::characterErrorRate(test::sampleText(2), doc["pages"][1]["text"].get<std::string>()), 0.03);
    const auto& word = doc["pages"][0]["lines"][0]["words"][0];
    EXPECT_EQ(word["text"], "The");
    EXPECT_EQ(word["box"].size(), 4u);
    EXPECT_GT(word["confidence"].get<double>(), 80.0);
    EXPECT_EQ(doc["summary"]["failed_pages"], 0);
    EXPECT_NE(readAll(out / "text.txt").find("quick brown fox"), std::string::npos);
    EXPECT_NE(readAll(out / "pages" / "0003.txt").find("Invoice"), std::string::npos);
    EXPECT_NE(readAll(out / "words.csv").find("\"Baker\""), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(out / "overlays" / "0002.png"));
    // The typed reader the page view uses gives the same pages back.
    const auto typed = ocr::readOcrPages(out);
    ASSERT_EQ(typed.size(), 3u);
    EXPECT_EQ(typed[1].source, "02.tif#1");
    EXPECT_EQ(typed[1].text, doc["pages"][1]["text"].get<std::string>());
    EXPECT_EQ(typed[0].width, doc["pages"][0]["width"].get<int>());
    EXPECT_EQ(typed[0].wordCount(), doc["pages"][0]["word_count"].get<std::size_t>());
    EXPECT_EQ(typed[0].lines.at(0).words.at(0).text, "The");
    EXPECT_EQ(typed[0].lines[0].words[0].box.x, word["box"][0].get<int>());
    const json prov = json::parse(std::ifstream(out / "provenance.json"));
    EXPECT_EQ(prov["notes"]["page_count"], 3);
    EXPECT_NE(prov["notes"]["engine"].get<std::string>().find("tesseract"), std::string::npos);
}

TEST(OcrPipeline, OverlaysAreReducedPicturesWithTheWordBoxes)
{
    test::TempDir dir;
    std::filesystem::create_directories(dir / "in");
    if (!test::renderTextPage(test::sampleText(1), "DejaVu Serif", dir / "p")) {
        GTEST_SKIP() << "text2image (Debian package tesseract-ocr) is not installed";
    }
    // A 3200 x 2400 page (the rendered text in its top left corner): its overlay is 1600 x 1200.
    cv::Mat page(2400, 3200, CV_8UC1, cv::Scalar(255));
    const cv::Mat text = cv::imread((dir / "p.tif").string(), cv::IMREAD_GRAYSCALE);
    text.copyTo(page(cv::Rect(0, 0, text.cols, text.rows)));
    ASSERT_TRUE(cv::imwrite((dir / "in" / "page.png").string(), page));
    const auto r = runOcr(dir / "in", dir / "out");
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    const cv::Mat overlay = cv::imread((dir / "out" / "overlays" / "0001.png").string(), cv::IMREAD_COLOR);
    ASSERT_EQ(overlay.cols, 1600);
    ASSERT_EQ(overlay.rows, 1200);
    // Every word's box is drawn in colour at half its page coordinates; the middle of the page is plain grey.
    const json doc = json::parse(std::ifstream(dir / "out" / "ocr.json"));
    int words = 0;
    for (const auto& line : doc["pages"][0]["lines"]) {
        for (const auto& w : line["words"]) {
            const auto& b = w["box"];
            const int x = b[0].get<int>() / 2, y = (b[1].get<int>() + b[3].get<int>() / 2) / 2; // left edge, halfway down
            const cv::Vec3b c = overlay.at<cv::Vec3b>(y, x);
            EXPECT_TRUE(c[0] != c[1] || c[1] != c[2]) << w["text"] << " at " << x << ", " << y;
            ++words;
        }
    }
    EXPECT_GT(words, 15);
    const cv::Vec3b centre = overlay.at<cv::Vec3b>(900, 1200);
    EXPECT_TRUE(centre[0] == centre[1] && centre[1] == centre[2]);
}

TEST(OcrPipeline, PdfPagesAreRenderedAndRead)
{
    test::TempDir dir;
    test::writeTextPdf(dir / "doc.pdf", {test::sampleText(0), test::sampleText(1)});
    test::keepFuzzSeed(dir / "doc.pdf", "pdf_pages", "two-pages.pdf");
    const auto r = runOcr(dir / "doc.pdf", dir / "out", {{"workers", 2}});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    const json doc = json::parse(std::ifstream(dir / "out" / "ocr.json"));
    ASSERT_EQ(doc["pages"].size(), 2u);
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(doc["pages"][i]["source"], "doc.pdf#" + std::to_string(i + 1));
        const double cer = ocr::characterErrorRate(test::sampleText(i), doc["pages"][i]["text"].get<std::string>());
        EXPECT_LT(cer, 0.02) << doc["pages"][i]["text"];
    }
    // An A4 page at 300 dpi is 8.7 megapixels: a smaller limit refuses it before rendering, naming the page.
    const auto small = runOcr(dir / "doc.pdf", dir / "o2", {{"max_megapixels", 4}});
    EXPECT_EQ(small.status, RunStatus::Failed);
    EXPECT_NE(small.message.find("doc.pdf#1"), std::string::npos) << small.message;
    EXPECT_NE(small.message.find("2480 x 3509"), std::string::npos) << small.message;
}

TEST(OcrPipeline, BadInputsGiveClearErrors)
{
    test::TempDir dir;
    test::writeText(dir / "empty.png", "");
    auto r = runOcr(dir / "empty.png", dir / "o1");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("empty"), std::string::npos) << r.message;

    test::writeText(dir / "scan.png", "this is not a png");
    r = runOcr(dir / "scan.png", dir / "o2");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("scan.png"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("corrupt"), std::string::npos) << r.message;

    writeHugePngHeader(dir / "huge.png");
    const auto t0 = std::chrono::steady_clock::now();
    r = runOcr(dir / "huge.png", dir / "o3");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("60000 x 60000"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("megapixels"), std::string::npos) << r.message;
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 5.0);

    std::filesystem::create_directories(dir / "nothing");
    test::writeText(dir / "nothing" / "notes.txt", "hello");
    r = runOcr(dir / "nothing", dir / "o4");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("no images"), std::string::npos) << r.message;

    test::writeText(dir / "doc.pdf", "%PDF-1.4");
    r = runOcr(dir / "doc.pdf", dir / "o5");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("doc.pdf"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("not a readable PDF"), std::string::npos) << r.message;

    r = runOcr(dir / "missing.png", dir / "o6");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("does not exist"), std::string::npos) << r.message;

    Image blank({64, 64, 1}, PixelType::UInt8);
    writeImage(blank, dir / "blank.png");
    r = runOcr(dir / "blank.png", dir / "o7", {{"language", "xqz"}});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("xqz"), std::string::npos) << r.message;

    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        EXPECT_EQ(e.path().filename().string().find(".partial"), std::string::npos) << e.path();
    }
}

TEST(OcrPipeline, SkipModeListsBadPagesAndKeepsTheRest)
{
    test::TempDir dir;
    std::filesystem::create_directories(dir / "in");
    Image blank({200, 100, 1}, PixelType::UInt8);
    for (auto& v : blank.pixels<std::uint8_t>()) {
        v = 255;
    }
    writeImage(blank, dir / "in" / "a.png");
    test::writeText(dir / "in" / "b.png", "broken");
    const auto r = runOcr(dir / "in", dir / "out", {{"on_error", "skip"}});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    const json doc = json::parse(std::ifstream(dir / "out" / "ocr.json"));
    EXPECT_FALSE(doc["pages"][0].contains("error"));
    EXPECT_NE(doc["pages"][1]["error"].get<std::string>().find("b.png"), std::string::npos);
    EXPECT_EQ(doc["summary"]["failed_pages"], 1);
    const auto typed = ocr::readOcrPages(dir / "out");
    ASSERT_EQ(typed.size(), 2u);
    EXPECT_TRUE(typed[0].error.empty());
    EXPECT_NE(typed[1].error.find("b.png"), std::string::npos);
}

// A damaged ocr.json (or one from a server that is not Strata's) is an IoError naming the file and the page; the GUI's
// page view read it key by key and a word without its box threw from a slot.
TEST(OcrPipeline, DamagedOcrJsonIsAClearError)
{
    test::TempDir dir;
    const auto expectError = [&](const std::string& text, const std::string& part) {
        test::writeText(dir / "ocr.json", text);
        try {
            (void)ocr::readOcrPages(dir.path());
            ADD_FAILURE() << "no error for " << text;
        } catch (const IoError& e) {
            EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("ocr.json"), std::string::npos) << e.what();
        }
    };
    const std::string page = R"({"source": "a.png", "width": 100, "height": 50, "text": "Hi", "lines": [{"text": "Hi", )"
                             R"("box": [1, 2, 30, 10], "confidence": 91.5, "words": [{"text": "Hi", "box": [1, 2, 30, 10], )"
                             R"("confidence": 91.5}]}]})";
    expectError("{}", "no list of pages");
    expectError(R"({"pages": [{"width": 1}]})", "page 1 has no source named");
    expectError(R"({"pages": [)" + page + R"(, {"source": "b.png", "width": 10, "height": 10, "lines": [{"words": [{"text": "x"}]}]}]})",
                "page 2 has a box that is not four numbers");
    expectError(R"({"pages": [{"source": "a.png", "width": -3, "height": 5, "lines": []}]})", "no valid width");
    expectError(R"({"pages": [{"source": "a.png", "width": 3, "height": 5, "lines": [{"box": [0, 0, 1, 1]}]}]})",
                "a line without its words");
    expectError(R"({"pages": [{"source": "a.png", "width": 3, "height": 5, "lines": [{"box": [0, 0, 1, 1e40], "words": []}]}]})",
                "four whole numbers");
    test::writeText(dir / "ocr.json", R"({"pages": [)" + page + R"(, {"source": "c.pdf#2", "error": "cannot render"}]})");
    const auto pages = ocr::readOcrPages(dir.path());
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0].lines.at(0).words.at(0).box.width, 30);
    EXPECT_FLOAT_EQ(pages[0].lines[0].words[0].confidence, 91.5f);
    EXPECT_EQ(pages[1].error, "cannot render");
}

TEST(OcrPipeline, CancelStopsTheBatchQuicklyAndLeavesNothing)
{
    test::TempDir dir;
    std::filesystem::create_directories(dir / "in");
    if (!test::renderTextPage(test::sampleText(1), "DejaVu Sans Mono", dir / "p")) {
        GTEST_SKIP() << "text2image (Debian package tesseract-ocr) is not installed";
    }
    for (int i = 0; i < 30; ++i) {
        std::filesystem::copy_file(dir / "p.tif", dir / "in" / ("p" + std::to_string(100 + i) + ".tif"));
    }
    std::stop_source stop;
    struct StopAfterFirstPage : ProgressSink {
        std::stop_source* stop;
        std::chrono::steady_clock::time_point requested;
        void progress(const ProgressEvent& e) override
        {
            if (e.stageId == "recognise" && e.message.rfind("Page 1/", 0) == 0) {
                requested = std::chrono::steady_clock::now();
                stop->request_stop();
            }
        }
    } sink;
    sink.stop = &stop;
    const auto r = runOcr(dir / "in", dir / "out", {{"workers", 2}}, &sink, stop.get_token());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sink.requested).count();
    EXPECT_EQ(r.status, RunStatus::Cancelled) << r.message;
    EXPECT_LT(seconds, 2.0);
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(OcrPipeline, CliListsAndRunsTheAnalyses)
{
    test::TempDir dir;
    const std::string cli = STRATA_CLI_PATH;
    const auto [rc, listing] = test::run(cli + " pipelines");
    EXPECT_EQ(rc, 0) << listing;
    EXPECT_NE(listing.find("ocr"), std::string::npos) << listing;
    EXPECT_NE(listing.find("classify"), std::string::npos) << listing;
    if (!test::renderTextPage(test::sampleText(0), "DejaVu Serif", dir / "p")) {
        GTEST_SKIP() << "text2image (Debian package tesseract-ocr) is not installed";
    }
    const auto [rc2, out] = test::run(cli + " run ocr '" + (dir / "p.tif").string() + "' --out '" + (dir / "r").string() +
                                      "' -q -p psm=6 -p binarise=otsu");
    EXPECT_EQ(rc2, 0) << out;
    EXPECT_NE(readAll(dir / "r" / "text.txt").find("lazy dog"), std::string::npos);
}
