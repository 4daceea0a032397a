#include "strata/quant/MeshIO.h"

#include "strata/Error.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace strata::quant {
namespace {

static_assert(std::endian::native == std::endian::little, "Mesh writers assume a little-endian host.");

template <typename T> void put(std::ostream& out, T value) { out.write(reinterpret_cast<const char*>(&value), sizeof(T)); }
template <typename T> T get(std::istream& in)
{
    T value{};
    in.read(reinterpret_cast<char*>(&value), sizeof(T));
    return value;
}

/// Writes through a temporary file renamed at the end, so a failed write leaves no partial file.
template <typename Fn> void writeAtomically(const std::filesystem::path& path, Fn&& fn)
{
    const std::filesystem::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        if (!out) throw IoError("Cannot write " + path.string() + ": the file cannot be created.");
        fn(out);
        out.flush();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            throw IoError("Cannot write " + path.string() + ": writing failed (disk full?).");
        }
    }
    std::filesystem::rename(tmp, path);
}

bool hasScalars(const Mesh& mesh) { return !mesh.scalars.empty() && mesh.scalars.size() == mesh.vertices.size(); }

std::string scalarName(const Mesh& mesh) { return mesh.scalarName.empty() ? "scalars" : mesh.scalarName; }

} // namespace

void writeStl(const Mesh& mesh, const std::filesystem::path& path)
{
    writeAtomically(path, [&](std::ostream& out) {
        char header[80] = {};
        std::strncpy(header, "Strata binary STL, world LPS mm", sizeof header - 1);
        out.write(header, sizeof header);
        put<std::uint32_t>(out, static_cast<std::uint32_t>(mesh.triangles.size()));
        for (const auto& t : mesh.triangles) {
            const auto& a = mesh.vertices[t[0]];
            const auto& b = mesh.vertices[t[1]];
            const auto& c = mesh.vertices[t[2]];
            const float ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
            const float vx = c[0] - a[0], vy = c[1] - a[1], vz = c[2] - a[2];
            float n[3] = {uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx};
            const float len = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
            for (float& x : n) put<float>(out, len > 0 ? x / len : 0.0f);
            for (const auto* p : {&a, &b, &c})
                for (float x : *p) put<float>(out, x);
            put<std::uint16_t>(out, 0);
        }
    });
}

void writePly(const Mesh& mesh, const std::filesystem::path& path)
{
    writeAtomically(path, [&](std::ostream& out) {
        const bool scalars = hasScalars(mesh);
        out << "ply\nformat binary_little_endian 1.0\ncomment Strata mesh, world LPS mm\n"
            << "element vertex " << mesh.vertices.size() << "\nproperty float x\nproperty float y\nproperty float z\n";
        if (scalars) out << "property float " << scalarName(mesh) << "\n";
        out << "element face " << mesh.triangles.size() << "\nproperty list uchar int vertex_indices\nend_header\n";
        for (std::size_t v = 0; v < mesh.vertices.size(); ++v) {
            for (float x : mesh.vertices[v]) put<float>(out, x);
            if (scalars) put<float>(out, mesh.scalars[v]);
        }
        for (const auto& t : mesh.triangles) {
            put<std::uint8_t>(out, 3);
            for (auto i : t) put<std::int32_t>(out, static_cast<std::int32_t>(i));
        }
    });
}

void writeVtp(const Mesh& mesh, const std::filesystem::path& path)
{
    writeAtomically(path, [&](std::ostream& out) {
        out.precision(9);
        out << "<?xml version=\"1.0\"?>\n"
            << "<VTKFile type=\"PolyData\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n"
            << "  <PolyData>\n"
            << "    <Piece NumberOfPoints=\"" << mesh.vertices.size() << "\" NumberOfVerts=\"0\" NumberOfLines=\"0\" "
            << "NumberOfStrips=\"0\" NumberOfPolys=\"" << mesh.triangles.size() << "\">\n";
        if (hasScalars(mesh)) {
            out << "      <PointData Scalars=\"" << scalarName(mesh) << "\">\n"
                << "        <DataArray type=\"Float32\" Name=\"" << scalarName(mesh) << "\" format=\"ascii\">\n";
            for (float s : mesh.scalars) out << s << "\n";
            out << "        </DataArray>\n      </PointData>\n";
        }
        out << "      <Points>\n        <DataArray type=\"Float32\" NumberOfComponents=\"3\" format=\"ascii\">\n";
        for (const auto& v : mesh.vertices) out << v[0] << ' ' << v[1] << ' ' << v[2] << "\n";
        out << "        </DataArray>\n      </Points>\n      <Polys>\n"
            << "        <DataArray type=\"Int64\" Name=\"connectivity\" format=\"ascii\">\n";
        for (const auto& t : mesh.triangles) out << t[0] << ' ' << t[1] << ' ' << t[2] << "\n";
        out << "        </DataArray>\n        <DataArray type=\"Int64\" Name=\"offsets\" format=\"ascii\">\n";
        for (std::size_t i = 0; i < mesh.triangles.size(); ++i) out << 3 * (i + 1) << "\n";
        out << "        </DataArray>\n      </Polys>\n    </Piece>\n  </PolyData>\n</VTKFile>\n";
    });
}

void writeMesh(const Mesh& mesh, const std::filesystem::path& path)
{
    const std::string ext = path.extension().string();
    if (ext == ".stl" || ext == ".STL") writeStl(mesh, path);
    else if (ext == ".ply" || ext == ".PLY") writePly(mesh, path);
    else if (ext == ".vtp" || ext == ".VTP") writeVtp(mesh, path);
    else throw InvalidArgument("Unknown mesh format '" + ext + "' for " + path.string() + " (use .stl, .ply or .vtp).");
}

Mesh readStl(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("Cannot read " + path.string() + ": the file cannot be opened.");
    char header[80];
    in.read(header, sizeof header);
    const auto count = get<std::uint32_t>(in);
    const auto size = std::filesystem::file_size(path);
    if (!in || size != 84u + 50ull * count)
        throw IoError("Cannot read " + path.string() + ": not a binary STL (size does not match the triangle count).");
    Mesh mesh;
    mesh.vertices.reserve(3ull * count);
    for (std::uint32_t t = 0; t < count; ++t) {
        for (int i = 0; i < 3; ++i) (void)get<float>(in);
        const auto base = static_cast<std::uint32_t>(mesh.vertices.size());
        for (int v = 0; v < 3; ++v) {
            std::array<float, 3> p{};
            for (float& x : p) x = get<float>(in);
            mesh.vertices.push_back(p);
        }
        (void)get<std::uint16_t>(in);
        mesh.triangles.push_back({base, base + 1, base + 2});
    }
    return mesh;
}

Mesh readPly(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("Cannot read " + path.string() + ": the file cannot be opened.");
    std::string line;
    std::size_t vertices = 0, faces = 0;
    std::vector<std::string> vertexProps;
    bool inVertex = false;
    std::getline(in, line);
    if (line != "ply") throw IoError("Cannot read " + path.string() + ": not a PLY file.");
    while (std::getline(in, line) && line != "end_header") {
        std::istringstream s(line);
        std::string word;
        s >> word;
        if (word == "format") {
            s >> word;
            if (word != "binary_little_endian") throw IoError("Cannot read " + path.string() + ": only binary little-endian PLY is supported.");
        } else if (word == "element") {
            std::string name;
            std::size_t n = 0;
            s >> name >> n;
            inVertex = name == "vertex";
            (inVertex ? vertices : faces) = n;
        } else if (word == "property" && inVertex) {
            std::string type, name;
            s >> type >> name;
            if (type != "float") throw IoError("Cannot read " + path.string() + ": vertex property types other than float.");
            vertexProps.push_back(name);
        }
    }
    if (vertexProps.size() < 3 || vertexProps.size() > 4) throw IoError("Cannot read " + path.string() + ": unexpected vertex properties.");
    // The counts come from the file: check them against its size before allocating (a 100-byte header could ask
    // for gigabytes). A vertex takes 4 bytes per property, a triangle 13.
    const std::uintmax_t vertexBytes = 4 * vertexProps.size();
    const auto start = in ? in.tellg() : std::streampos(-1);
    const std::uintmax_t rest = start < 0 ? 0 : std::filesystem::file_size(path) - static_cast<std::uintmax_t>(start);
    if (vertices > rest / vertexBytes || faces > (rest - vertices * vertexBytes) / 13)
        throw IoError("Cannot read " + path.string() + ": the file is truncated.");
    Mesh mesh;
    if (vertexProps.size() == 4) mesh.scalarName = vertexProps[3];
    mesh.vertices.resize(vertices);
    for (auto& v : mesh.vertices) {
        for (float& x : v) x = get<float>(in);
        if (vertexProps.size() == 4) mesh.scalars.push_back(get<float>(in));
    }
    for (std::size_t f = 0; f < faces; ++f) {
        if (get<std::uint8_t>(in) != 3) throw IoError("Cannot read " + path.string() + ": only triangles are supported.");
        std::array<std::uint32_t, 3> t{};
        for (auto& i : t) i = static_cast<std::uint32_t>(get<std::int32_t>(in));
        mesh.triangles.push_back(t);
    }
    if (!in) throw IoError("Cannot read " + path.string() + ": the file is truncated.");
    for (const auto& t : mesh.triangles)
        for (auto i : t)
            if (i >= vertices) throw IoError("Cannot read " + path.string() + ": a face refers to a missing vertex.");
    return mesh;
}

} // namespace strata::quant
