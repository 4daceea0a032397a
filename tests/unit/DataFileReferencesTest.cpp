// Data files named by detached image headers (MetaImage ElementDataFile, NRRD data file) and the check used for
// input that came over the network: only the file itself or a file beside it, never a path out of its folder.
#include "TestSupport.h"
#include "strata/DataFileReferences.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

using namespace strata;
namespace fs = std::filesystem;

namespace {

const std::string kMeta = "ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = ";
const std::string kNrrd = "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n";

/// The check's message, or "" when the header passes.
std::string refusal(const fs::path& image)
{
    try {
        requireDataFilesInside(image, image.parent_path());
        return "";
    } catch (const InvalidArgument& e) {
        return e.what();
    }
}

struct Folders {
    test::TempDir tmp;
    fs::path inputs = tmp / "inputs";
    fs::path outside = tmp / "outside.raw";
    Folders()
    {
        fs::create_directories(inputs);
        test::writeText(inputs / "data.raw", std::string(8, 'd'));
        test::writeText(outside, std::string(8, 'o'));
    }
    fs::path header(const std::string& name, const std::string& text) const
    {
        test::writeText(inputs / name, text);
        return inputs / name;
    }
};

} // namespace

TEST(DataFileReferences, AttachedDataAndSiblingFilesPass)
{
    Folders f;
    EXPECT_TRUE(dataFileReferences(f.header("local.mha", kMeta + "LOCAL\n" + std::string(8, '\0'))).empty());
    EXPECT_EQ(refusal(f.inputs / "local.mha"), "");
    EXPECT_TRUE(dataFileReferences(f.header("attached.nrrd", kNrrd + "\n" + std::string(8, '\0'))).empty());
    EXPECT_EQ(refusal(f.inputs / "attached.nrrd"), "");

    const auto refs = dataFileReferences(f.header("sibling.mhd", kMeta + "data.raw\n"));
    ASSERT_EQ(refs.size(), 1u);
    EXPECT_EQ(refs[0].field, "ElementDataFile");
    EXPECT_EQ(refs[0].value, "data.raw");
    EXPECT_FALSE(refs[0].multiFile);
    EXPECT_EQ(refusal(f.inputs / "sibling.mhd"), "");
    EXPECT_EQ(refusal(f.header("sibling.nhdr", kNrrd + "data file: ./data.raw\n\n")), "");
    EXPECT_EQ(refusal(f.header("sibling2.nhdr", kNrrd + "datafile: data.raw\n\n")), "");
}

TEST(DataFileReferences, FilesWrittenByStrataPass)
{
    test::TempDir tmp;
    const Image image({3, 2, 2}, PixelType::Int16);
    for (const std::string name : {"a.mha", "b.mhd", "c.nrrd", "d.nhdr", "e.nii.gz"}) {
        writeImage(image, tmp / name);
        EXPECT_EQ(refusal(tmp / name), "") << name;
    }
    EXPECT_EQ(dataFileReferences(tmp / "b.mhd").size(), 1u);
    EXPECT_EQ(dataFileReferences(tmp / "d.nhdr").size(), 1u);
}

TEST(DataFileReferences, AbsoluteParentAndMissingPathsAreRefusedWithoutDetails)
{
    Folders f;
    const std::vector<std::pair<std::string, std::string>> headers{
        {"abs.mha", kMeta + f.outside.string() + "\n"},
        {"etc.mhd", kMeta + "/etc/passwd\n"},
        {"up.mha", kMeta + "../outside.raw\n"},
        {"missing.mhd", kMeta + "nothing.raw\n"},
        {"abs.nhdr", kNrrd + "data file: " + f.outside.string() + "\n\n"},
        {"up.nrrd", kNrrd + "datafile: ../outside.raw\n\n"},
        {"case.mha", kMeta.substr(0, kMeta.rfind("ElementDataFile")) + "elementdatafile=" + f.outside.string() + "\n"},
    };
    for (const auto& [name, text] : headers) {
        const std::string message = refusal(f.header(name, text));
        EXPECT_NE(message, "") << name;
        EXPECT_NE(message.find(name), std::string::npos) << message;
        for (const auto& leak : {f.outside.string(), std::string("outside"), std::string("passwd"),
                                       std::string("nothing"), f.tmp.path().string()}) {
            EXPECT_EQ(message.find(leak), std::string::npos) << name << " leaks '" << leak << "': " << message;
        }
    }
}

TEST(DataFileReferences, ListsAndPatternsAreRefused)
{
    Folders f;
    const auto list = dataFileReferences(f.header("list.mha", kMeta + "LIST\ndata.raw\ndata.raw\n"));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_TRUE(list[0].multiFile);
    EXPECT_NE(refusal(f.inputs / "list.mha"), "");
    EXPECT_NE(refusal(f.header("pattern.mhd", kMeta + "data%d.raw 1 2 1\n")), "");
    EXPECT_NE(refusal(f.header("list.nhdr", kNrrd + "data file: LIST 2\ndata.raw\ndata.raw\n")), "");
    EXPECT_NE(refusal(f.header("pattern.nhdr", kNrrd + "data file: data%03d.raw 1 2 1\n\n")), "");
}

TEST(DataFileReferences, SymbolicLinksOutOfTheFolderAreRefused)
{
    Folders f;
    fs::create_symlink(f.outside, f.inputs / "link.raw");
    fs::create_directory_symlink(f.tmp.path(), f.inputs / "up");
    fs::create_symlink(f.inputs / "data.raw", f.inputs / "inside.raw");
    EXPECT_NE(refusal(f.header("link.mhd", kMeta + "link.raw\n")), "");
    EXPECT_NE(refusal(f.header("dir.mhd", kMeta + "up/outside.raw\n")), "");
    EXPECT_NE(refusal(f.header("link.nhdr", kNrrd + "data file: link.raw\n\n")), "");
    EXPECT_EQ(refusal(f.header("inside.mhd", kMeta + "inside.raw\n")), "");
}

TEST(DataFileReferences, HeadersAreRecognisedByContentToo)
{
    Folders f;
    EXPECT_NE(refusal(f.header("scan.bin", kMeta + f.outside.string() + "\n")), "");
    EXPECT_NE(refusal(f.header("scan.dat", kNrrd + "data file: " + f.outside.string() + "\n\n")), "");
    EXPECT_TRUE(dataFileReferences(f.header("notes.txt", "ElementDataFile = /etc/passwd\n")).empty());
}
