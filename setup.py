"""Builds the storysift extension with this repository's CMake build.

``pip install --no-build-isolation .`` (offline, Debian 12: python3-setuptools,
python3-wheel, pybind11-dev and the packages of scripts/setup.sh). build_ext
configures CMake with -DSTORYSIFT_BUILD_PYTHON=ON for the running interpreter,
builds the storysift_python target and copies _storysift*.so into the package.
"""

import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.path.join(ROOT, "build-python")
        jobs = os.environ.get("STORYSIFT_BUILD_JOBS", str(os.cpu_count() or 1))
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        subprocess.check_call([
            "cmake", "-S", ROOT, "-B", build_dir, *generator, "-DCMAKE_BUILD_TYPE=Release",
            "-DSTORYSIFT_BUILD_PYTHON=ON", "-DSTORYSIFT_BUILD_TESTS=OFF",
            "-DSTORYSIFT_BUILD_BENCHMARKS=OFF", "-DSTORYSIFT_JEMALLOC=OFF",
            f"-DPython3_EXECUTABLE={sys.executable}"])
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "storysift_python",
                               "-j", jobs])
        built = glob.glob(os.path.join(build_dir, "python", "storysift", "_storysift*.so"))
        if not built:
            raise RuntimeError("the CMake build made no _storysift extension")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built[0], target)


setup(
    packages=["storysift"],
    package_dir={"": "python"},
    package_data={"storysift": ["py.typed", "*.pyi"]},
    ext_modules=[Extension("storysift._storysift", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
