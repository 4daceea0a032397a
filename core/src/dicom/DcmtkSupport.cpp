#include "dicom/DcmtkSupport.h"

#include "io/AtomicOutput.h"
#include "strata/Error.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcvrda.h>
#include <dcmtk/dcmdata/dcvrtm.h>

#include <dcmtk/oflog/oflog.h>

#include <cstdio>
#include <mutex>

namespace strata::dicom {

void quietDcmtk()
{
    static std::once_flag once;
    std::call_once(once, [] { OFLog::configure(OFLogger::ERROR_LOG_LEVEL); });
}

void check(const OFCondition& condition, const std::string& what)
{
    if (condition.bad()) {
        throw IoError("Cannot write the DICOM object: DCMTK could not " + what + " (" + condition.text() + ").");
    }
}

std::string ds(double value)
{
    if (value == 0.0) return "0";
    char buf[32];
    for (int precision = 12; precision > 1; --precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, value);
        if (std::string(buf).size() <= 16) return buf;
    }
    std::snprintf(buf, sizeof buf, "%.1e", value);
    return buf;
}

std::string newUid()
{
    char uid[100];
    dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
    return uid;
}

std::string stringOf(DcmItem& item, const DcmTagKey& key)
{
    OFString value;
    if (item.findAndGetOFStringArray(key, value).good()) return value.c_str();
    return {};
}

void setContentDateTime(DcmItem& item)
{
    OFString date, time;
    DcmDate::getCurrentDate(date);
    DcmTime::getCurrentTime(time);
    item.putAndInsertString(DCM_ContentDate, date.c_str());
    item.putAndInsertString(DCM_ContentTime, time.c_str());
    item.putAndInsertString(DCM_SeriesDate, date.c_str());
    item.putAndInsertString(DCM_SeriesTime, time.c_str());
}

void saveFile(DcmFileFormat& fileFormat, const std::filesystem::path& path)
{
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    io::AtomicOutput out(path);
    const OFCondition cond = fileFormat.saveFile(out.stagingPath().c_str(), EXS_LittleEndianExplicit);
    if (cond.bad()) {
        throw IoError("Cannot write '" + path.string() + "': " + cond.text() + ".");
    }
    out.commit();
}

void loadFile(DcmFileFormat& fileFormat, const std::filesystem::path& path)
{
    const OFCondition cond = fileFormat.loadFile(path.c_str());
    if (cond.bad()) {
        throw IoError("Cannot read '" + path.string() + "': " + cond.text() + ".");
    }
}

} // namespace strata::dicom
