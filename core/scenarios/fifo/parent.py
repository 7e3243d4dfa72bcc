# title: parent: names a pipe, starts two strangers
def main():
    folder = tempfile.mkdtemp(prefix="pipescope-fifo-")
    path = os.path.join(folder, "fifo")
    os.mkfifo(path, 0o600)      # a pipe with a name     $Mkfifo
    r = os.fork()                                        $Fork
    if r == 0:
        os._exit(reader(path))  # opens it by name
    w = os.fork()                                        $Fork
    if w == 0:
        os._exit(writer(path))  # so does its sibling
    os.waitpid(r, 0)                                     $Wait
    os.waitpid(w, 0)                                     $Wait
    os.unlink(path)             # the name outlives them
    os.rmdir(folder)
    return 0
