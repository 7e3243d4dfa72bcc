#pragma once

#include <string>
#include <vector>

namespace pipescope
{

class Scenario;
class Tracee;

/// Every scenario, in teaching order.
std::vector<const Scenario *> allScenarios();

/// Reads fd until EOF (or an error) through the tracee; returns what arrived.
std::string readUntilEof(Tracee &self, int fd, std::size_t chunk = 256);
/// Waits for a child and turns its wait status into this process's exit status.
int reapChild(Tracee &self, int pid);
/// The same message check every scenario makes, reported as a note.
int expectEqual(Tracee &self, const std::string &what, const std::string &got, const std::string &want);

} // namespace pipescope
