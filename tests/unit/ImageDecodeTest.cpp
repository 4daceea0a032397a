// ImageSource::decode: images that arrive as bytes (the server's prediction endpoint) are size-checked from
// their header before decoding; other formats, damaged and empty data give clear errors.
#include "strata/Error.h"
#include "strata/ImageSource.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include <string>
#include <vector>

using namespace strata;

namespace {

std::string encode(const cv::Mat& m, const std::string& ext)
{
    std::vector<unsigned char> buf;
    EXPECT_TRUE(cv::imencode(ext, m, buf));
    return {buf.begin(), buf.end()};
}

std::string messageOf(const std::string& bytes, std::uint64_t maxPixels)
{
    try {
        (void)ImageSource::decode(bytes, maxPixels, "the upload");
    } catch (const InvalidArgument& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST(ImageDecode, PngJpegAndTiffBytesBecomeGreyImages)
{
    cv::Mat m(20, 30, CV_8UC3, cv::Scalar(10, 200, 30));
    for (const char* ext : {".png", ".jpg", ".tif", ".bmp"}) {
        const Image img = ImageSource::decode(encode(m, ext), 1000);
        EXPECT_EQ(img.size()[0], 30u) << ext;
        EXPECT_EQ(img.size()[1], 20u) << ext;
        EXPECT_EQ(img.pixelType(), PixelType::UInt8) << ext;
    }
}

TEST(ImageDecode, RefusesLargeEmptyDamagedAndUnprobeableData)
{
    const cv::Mat m(100, 100, CV_8UC1, cv::Scalar(7));
    const std::string png = encode(m, ".png");
    EXPECT_NE(messageOf(png, 9999).find("100 x 100"), std::string::npos) << messageOf(png, 9999);
    EXPECT_NE(messageOf("", 1000).find("empty"), std::string::npos);
    EXPECT_NE(messageOf("GIF89a....", 1000).find("not a PNG, JPEG, BMP or TIFF"), std::string::npos);
    std::string cut = png.substr(0, png.size() / 2);
    EXPECT_NE(messageOf(cut, 100000).find("corrupt or truncated"), std::string::npos) << messageOf(cut, 100000);
    EXPECT_NE(messageOf(encode(m, ".webp"), 100000).find("not a PNG"), std::string::npos);
}
