// Dumps images as raw RGB8: per image a line "name w h" in index.txt and bytes in name.rgb
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cstdio>
#include <fstream>
int main(int argc, char** argv) {
  std::ofstream idx(std::string(argv[1]) + "/index.txt");
  for (int i = 2; i < argc; ++i) {
    cv::Mat m = cv::imread(argv[i], cv::IMREAD_COLOR);
    if (m.empty()) { std::fprintf(stderr, "skip %s\n", argv[i]); continue; }
    cv::Mat rgb; cv::cvtColor(m, rgb, cv::COLOR_BGR2RGB);
    std::string base = argv[i]; base = base.substr(base.find_last_of('/') + 1);
    std::ofstream f(std::string(argv[1]) + "/" + base + ".rgb", std::ios::binary);
    for (int y = 0; y < rgb.rows; ++y) f.write(reinterpret_cast<const char*>(rgb.ptr(y)), rgb.cols * 3);
    idx << base << " " << rgb.cols << " " << rgb.rows << "\n";
  }
}
