#include "OcrTestPages.h"

#include "TestSupport.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

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

namespace strata::test {

namespace {

std::string pdfString(const std::string& s)
{
    std::string out = "(";
    for (const char c : s) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    return out + ")";
}

} // namespace

void writeTextPdf(const std::filesystem::path& file, const std::vector<std::string>& pages)
{
    // Objects: 1 catalog, 2 page tree, 3 font, then per page a page object and its content stream.
    std::vector<std::string> objects(3);
    std::string kids;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const std::size_t pageObj = 4 + 2 * i;
        kids += std::to_string(pageObj) + " 0 R ";
        std::string content = "BT /F1 12 Tf 16 TL 60 770 Td\n";
        std::istringstream lines(pages[i]);
        for (std::string line; std::getline(lines, line);) content += pdfString(line) + " Tj T*\n";
        content += "ET\n";
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                          "/Contents " + std::to_string(pageObj + 1) + " 0 R >>");
        objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream");
    }
    objects[0] = "<< /Type /Catalog /Pages 2 0 R >>";
    objects[1] = "<< /Type /Pages /Kids [ " + kids + "] /Count " + std::to_string(pages.size()) + " >>";
    objects[2] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (const auto o : offsets) {
        char entry[24];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", o);
        pdf += entry;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    std::ofstream(file, std::ios::binary) << pdf;
}

} // namespace strata::test
