//! 8-bit RGB images for the tests, read and written with the `png` crate the export stack
//! already uses (no second image library). Alpha is dropped, not composited: exports are
//! opaque.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::path::Path;

#[derive(Clone, PartialEq, Eq)]
pub struct Rgb {
    pub width: u32,
    pub height: u32,
    /// Three bytes a pixel, row after row.
    pub data: Vec<u8>,
}

impl Rgb {
    pub fn new(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            data: vec![0; (width * height * 3) as usize],
        }
    }

    /// From RGBA bytes (e.g. a `tiny_skia` pixmap on an opaque background).
    pub fn from_rgba(width: u32, height: u32, rgba: &[u8]) -> Self {
        let data = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        Self {
            width,
            height,
            data,
        }
    }

    /// Decodes a PNG of any colour type and depth into 8-bit RGB.
    pub fn decode(png_bytes: &[u8]) -> Result<Self, String> {
        let mut decoder = png::Decoder::new(png_bytes);
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
        let pixels = &buf[..info.buffer_size()];
        let data = match info.color_type {
            png::ColorType::Rgb => pixels.to_vec(),
            png::ColorType::Rgba => pixels
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect(),
            png::ColorType::Grayscale => pixels.iter().flat_map(|&g| [g, g, g]).collect(),
            png::ColorType::GrayscaleAlpha => pixels
                .chunks_exact(2)
                .flat_map(|p| [p[0], p[0], p[0]])
                .collect(),
            png::ColorType::Indexed => return Err("an indexed PNG after expansion".into()),
        };
        Ok(Self {
            width: info.width,
            height: info.height,
            data,
        })
    }

    pub fn open(path: &Path) -> Result<Self, String> {
        Self::decode(&std::fs::read(path).map_err(|e| e.to_string())?)
    }

    pub fn dimensions(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    pub fn pixels(&self) -> impl Iterator<Item = &[u8]> {
        self.data.chunks_exact(3)
    }

    pub fn pixels_mut(&mut self) -> impl Iterator<Item = &mut [u8]> {
        self.data.chunks_exact_mut(3)
    }

    pub fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = ((y * self.width + x) * 3) as usize;
        [self.data[i], self.data[i + 1], self.data[i + 2]]
    }

    /// Writes a PNG with the best compression (goldens stay small in git).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let file = std::io::BufWriter::new(std::fs::File::create(path)?);
        let mut enc = png::Encoder::new(file, self.width, self.height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Best);
        enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut writer = enc.write_header().map_err(std::io::Error::other)?;
        writer
            .write_image_data(&self.data)
            .map_err(std::io::Error::other)
    }
}

/// Width and height of a PNG, read from its header.
pub fn png_size(png_bytes: &[u8]) -> (u32, u32) {
    let reader = png::Decoder::new(png_bytes).read_info().unwrap();
    (reader.info().width, reader.info().height)
}
