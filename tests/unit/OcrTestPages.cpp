#include "OcrTestPages.h"

#include "TestSupport.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace strata::test {

bool renderTextPage(const std::string& text, const std::string& font, const std::filesystem::path& outBase,
                    int width, int height)
{
    if (run("command -v text2image").first != 0) {
        return false;
    }
    const auto textFile = outBase.string() + ".gt.txt";
    writeText(textFile, text);
    const auto [rc, output] =
        run("text2image --text '" + textFile + "' --outputbase '" + outBase.string() + "' --font '" + font +
            "' --fonts_dir /usr/share/fonts --fontconfig_tmpdir '" + outBase.parent_path().string() + "' --xsize " + std::to_string(width) + " --ysize " + std::to_string(height) +
            " --margin 60 --ptsize 12 --resolution 300 --degrade_image=false --rotate_image=false");
    if (rc != 0 || !std::filesystem::exists(outBase.string() + ".tif")) {
        ADD_FAILURE() << "text2image failed: " << output;
        return false;
    }
    return true;
}

void degradePage(const std::filesystem::path& in, const std::filesystem::path& out, double noiseSigma,
                 double blurSigma, double rotateDegrees, unsigned seed)
{
    cv::Mat page = cv::imread(in.string(), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(page.empty()) << in;
    if (rotateDegrees != 0.0) {
        const cv::Point2f c(0.5f * (page.cols - 1), 0.5f * (page.rows - 1));
        cv::warpAffine(page, page, cv::getRotationMatrix2D(c, rotateDegrees, 1.0), page.size(), cv::INTER_LINEAR,
                       cv::BORDER_CONSTANT, cv::Scalar(255));
    }
    if (blurSigma > 0) {
        cv::GaussianBlur(page, page, cv::Size(0, 0), blurSigma);
    }
    if (noiseSigma > 0) {
        cv::RNG rng(seed);
        cv::Mat noise(page.size(), CV_32F);
        rng.fill(noise, cv::RNG::NORMAL, 0.0, noiseSigma);
        cv::Mat f;
        page.convertTo(f, CV_32F);
        f += noise;
        f.convertTo(page, CV_8U);
    }
    ASSERT_TRUE(cv::imwrite(out.string(), page)) << out;
}

std::string sampleText(int variant)
{
    static const char* kTexts[] = {
        "The quick brown fox jumps over the lazy dog. Pack my box\n"
        "with five dozen liquor jugs. Invoice 4711 dated 2024-03-15\n"
        "totals 1,280.50 EUR, payable within 30 days.\n",
        "Sphinx of black quartz, judge my vow. How vexingly quick\n"
        "daft zebras jump! The patient was seen on 12 May at 09:30;\n"
        "blood pressure 120/80, pulse 72, temperature 36.8 C.\n",
        "Amazingly few discotheques provide jukeboxes. Crazy\n"
        "Fredrick bought many very exquisite opal jewels. Order\n"
        "number 99-1024 ships to 221B Baker Street, London.\n",
    };
    return kTexts[variant % 3];
}

} // namespace strata::test
