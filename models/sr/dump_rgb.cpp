// Dumps images as raw RGB8: per image a line "name w h" in index.txt and bytes in name.rgb.
// Usage: dump_rgb OUTDIR [--max-side N] IMAGE...
// --max-side N: images whose longer side exceeds N are first reduced by the smallest integer factor that brings
// them to N or less, by area averaging (for multi-megapixel JPEG photos: removes most compression artefacts and
// brings the detail per pixel closer to the test images').
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cstdio>
#include <fstream>
#include <string>
int main(int argc, char** argv) {
  if (argc < 3) { std::fprintf(stderr, "usage: dump_rgb OUTDIR [--max-side N] IMAGE...\n"); return 2; }
  std::ofstream idx(std::string(argv[1]) + "/index.txt", std::ios::app);
  int maxSide = 0;
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--max-side" && i + 1 < argc) { maxSide = std::stoi(argv[++i]); continue; }
    cv::Mat m = cv::imread(argv[i], cv::IMREAD_COLOR);
    if (m.empty()) { std::fprintf(stderr, "skip %s\n", argv[i]); continue; }
    const int side = std::max(m.cols, m.rows);
    if (maxSide > 0 && side > maxSide) {
      const int f = (side + maxSide - 1) / maxSide;
      cv::Mat small;
      cv::resize(m, small, cv::Size(m.cols / f, m.rows / f), 0, 0, cv::INTER_AREA);
      m = small;
    }
    cv::Mat rgb; cv::cvtColor(m, rgb, cv::COLOR_BGR2RGB);
    std::string base = argv[i]; base = base.substr(base.find_last_of('/') + 1);
    std::ofstream f(std::string(argv[1]) + "/" + base + ".rgb", std::ios::binary);
    for (int y = 0; y < rgb.rows; ++y) f.write(reinterpret_cast<const char*>(rgb.ptr(y)), rgb.cols * 3);
    idx << base << " " << rgb.cols << " " << rgb.rows << "\n";
  }
}
