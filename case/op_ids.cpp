#include "case/op_ids.h"

#include <map>

#include "case/input_error.h"

namespace iovet {
namespace {

// What created an id most recently, and whether it has been released since.
struct Binding {
  std::string_view creator;  // op name
  size_t op = 0;
  bool live = true;
};

class IdTable {
 public:
  explicit IdTable(const std::string& file) : file_(file) {}
  void set_op(size_t op) { op_ = op; }

  void create(const std::string& id, std::string_view creator) {
    auto it = ids_.find(id);
    if (it != ids_.end() && it->second.live)
      fail("id '" + id + "' is created again while still live (created by op " +
           std::to_string(it->second.op) + ")");
    ids_[id] = {creator, op_, true};
  }
  // A reference; creator empty accepts an id made by any op. Returns the binding.
  Binding& use(const std::string& id, std::string_view user, std::string_view creator) {
    auto it = ids_.find(id);
    if (it == ids_.end()) fail("id '" + id + "' was never created by an earlier op");
    if (!creator.empty() && it->second.creator != creator)
      fail("id '" + id + "' was made by " + std::string(it->second.creator) + "; " +
           std::string(user) + " needs an id made by " + std::string(creator));
    return it->second;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(file_, "/ops/" + std::to_string(op_) + "/id", what);
  }
  const std::string& file_;
  size_t op_ = 0;
  std::map<std::string, Binding> ids_;
};

}  // namespace

void check_op_ids(const Case& c, const std::string& file) {
  IdTable t(file);
  for (size_t i = 0; i < c.ops.size(); ++i) {
    t.set_op(i);
    const OpBody& b = c.ops[i].body;
    const std::string_view name = op_name(b);
    if (auto* m = std::get_if<op::MapPage>(&b)) t.create(m->id, name);
    else if (auto* m = std::get_if<op::MapSg>(&b)) t.create(m->id, name);
    else if (auto* a = std::get_if<op::Alloc>(&b)) t.create(a->id, name);
    else if (auto* a = std::get_if<op::IovaAlloc>(&b)) t.create(a->id, name);
    else if (auto* u = std::get_if<op::UnmapPage>(&b)) t.use(u->id, name, "map_page").live = false;
    else if (auto* u = std::get_if<op::UnmapSg>(&b)) t.use(u->id, name, "map_sg").live = false;
    else if (auto* f = std::get_if<op::Free>(&b)) t.use(f->id, name, "alloc").live = false;
    else if (auto* f = std::get_if<op::IovaFree>(&b)) t.use(f->id, name, "alloc").live = false;
    // Going behind the DMA layer's back does not end the mapping as far as the caller knows.
    else if (auto* u = std::get_if<op::IommuUnmap>(&b); u && u->id) t.use(*u->id, name, "");
    else if (auto* a = std::get_if<op::Access>(&b); a && a->id) t.use(*a->id, name, "");
  }
}

}  // namespace iovet
